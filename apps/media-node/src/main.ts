import { createServer } from 'node:http';

/**
 * The built-in media node: what the local provisioner runs for each instance. It stands in for a
 * media server image — it listens on PORT, answers /health and /info (its version and the names,
 * never the values, of its environment), and logs one JSON line per request and per minute, each
 * with a `level` (debug, info, warn, error) the logs API filters on.
 */
const port = Number(process.env.PORT ?? 0);
const version = process.env.MEDIA_NODE_VERSION ?? 'dev';
const instanceId = process.env.INSTANCE_ID ?? 'local';
const userEnv = (process.env.MEDIA_NODE_ENV_NAMES ?? '').split(',').filter(Boolean);
const startedAt = new Date();

type Level = 'debug' | 'info' | 'warn' | 'error';
const log = (msg: string, extra: Record<string, unknown> = {}, level: Level = 'info') =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, instance_id: instanceId, version, msg, ...extra })}\n`);
/** A client's mistake is a warning, the node's own failure an error. */
const levelOf = (status: number): Level => (status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info');

const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  const reply = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (path === '/health') reply(200, { status: 'ok' });
  else if (path === '/info') reply(200, { instance_id: instanceId, version, env_names: userEnv, started_at: startedAt.toISOString(), pid: process.pid });
  else reply(404, { error: 'not found' });
  if (path !== '/health') log(`${request.method} ${path}`, { status: response.statusCode }, levelOf(response.statusCode));
});

const startDelayMs = Number(process.env.MEDIA_NODE_START_DELAY_MS ?? 0);
log('media node starting', { start_delay_ms: startDelayMs });
setTimeout(() => {
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    log('media node listening', { port: typeof address === 'object' && address ? address.port : port });
  });
}, startDelayMs);
setInterval(() => log('alive', { uptime_seconds: Math.round(process.uptime()) }, 'debug'), 60_000).unref();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log('stopping', { signal });
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
