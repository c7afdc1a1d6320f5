import { ReferenceHandler } from './handler';

/**
 * `npm run handler`: the reference stream handler as its own process, configured from the
 * environment. It needs only the HTTP API, exactly like a handler written by a user.
 */
function main(): void {
  const env = process.env;
  const missing = ['STREAMPLANE_TOKEN', 'STREAMPLANE_WORKSPACE'].filter((name) => !env[name]);
  if (missing.length) {
    console.error(`set ${missing.join(' and ')}: an API token (POST /v1/tokens with workspace_id) and the workspace id to take streams from`);
    process.exit(1);
  }
  const number = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0) {
      console.error(`${name} must be a positive number`);
      process.exit(1);
    }
    return value;
  };
  const handler = new ReferenceHandler({
    apiUrl: (env.STREAMPLANE_URL ?? 'http://localhost:3000').replace(/\/$/, ''),
    token: env.STREAMPLANE_TOKEN!,
    workspaceId: env.STREAMPLANE_WORKSPACE!,
    concurrency: number('HANDLER_CONCURRENCY', 4),
    heartbeatMs: number('HANDLER_HEARTBEAT_MS', 10_000),
    idleMs: number('HANDLER_IDLE_MS', 1000),
    log: (message) => console.log(JSON.stringify({ time: new Date().toISOString(), msg: message })),
  });
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  handler.run(stop.signal).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

main();
