import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { Tenant, tenant } from './support/workspaces';

const ROOT = join(__dirname, '..');

/** The reference handler as its own process, talking to the app over HTTP like any handler. */
function startHandler(apiUrl: string, token: string, workspaceId: string): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'apps/worker/src/reference-handler/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', STREAMPLANE_URL: apiUrl, STREAMPLANE_TOKEN: token, STREAMPLANE_WORKSPACE: workspaceId, HANDLER_HEARTBEAT_MS: '400', HANDLER_IDLE_MS: '100' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function stopHandler(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  await once(child, 'exit');
}

describe('The reference handler processes streams end to end through the HTTP API', () => {
  let t: TestApp;
  let ws: Tenant;
  let apiUrl: string;
  let token: string;
  const dir = mkdtempSync(join(tmpdir(), 'streamplane-media-'));

  beforeAll(async () => {
    t = await startTestApp('reference_handler', { env: { STREAM_LEASE_SECONDS: '2' } });
    await t.app.listen(0, '127.0.0.1');
    apiUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    ws = await tenant(t, 'handler');
    // What an external handler should hold: a workspace-owned token that can take and report, nothing else.
    token = (await t.http.post(`${ws.base}/service-tokens`).set(ws.owner.headers).send({ name: 'reference handler', scopes: ['streams:handle'] }).expect(201)).body.token;
  });
  afterAll(() => t.close());

  const create = async (body: object) => (await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).send({ event_handler: {}, ...body }).expect(201)).body.stream_id as string;
  const stream = async (id: string) => (await t.http.get(`${ws.base}/streams/${id}`).set(ws.owner.headers).expect(200)).body;

  it('reads a local source and reports done with what it saw; a missing source is a failure with its error', async () => {
    const file = join(dir, 'lobby.mp4');
    writeFileSync(file, Buffer.alloc(100 * 1024, 7));
    const good = await create({ name: 'lobby', data: { reference: pathToFileURL(file).href, type: 'videofile' } });
    const missing = await create({ name: 'gone', data: { reference: pathToFileURL(join(dir, 'gone.mp4')).href } });

    const handler = startHandler(apiUrl, token, ws.workspaceId);
    try {
      await eventually(async () => (await stream(good)).status === 'done' && (await stream(missing)).status === 'failure', 20_000);
    } finally {
      await stopHandler(handler);
    }
    expect((await stream(good)).video_info).toMatchObject({ bytes: 100 * 1024, read_seconds: expect.any(Number) });
    expect((await stream(missing)).last_error).toMatch(/ENOENT/);
    const logs = (await t.http.get(`${ws.base}/streams/logs`).query({ stream_ids: good }).set(ws.owner.headers)).body.items;
    expect(logs.map((l: { status: string }) => l.status)).toEqual(['pending', 'in_progress', 'done']);
  });

  it('a handler killed (SIGKILL) while holding streams loses them to the lease; autorestart queues them again', async () => {
    // A live source that never ends: the handler keeps reading it, sending heartbeats.
    const open: ServerResponse[] = [];
    const live: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'video/mp2t' });
      open.push(response);
      const drip = setInterval(() => response.write(Buffer.alloc(188)), 50);
      response.on('close', () => clearInterval(drip));
    });
    live.listen(0, '127.0.0.1');
    await once(live, 'listening');
    const reference = `http://127.0.0.1:${(live.address() as AddressInfo).port}/live.ts`;
    const ids = [
      await create({ name: 'live-1', data: { reference, type: 'tcp' }, autorestart: { restart: 1, attempt_count: 3, delay: 0 } }),
      await create({ name: 'live-2', data: { reference, type: 'tcp' }, autorestart: { restart: 1, attempt_count: 3, delay: 0 } }),
    ];

    const handler = startHandler(apiUrl, token, ws.workspaceId);
    try {
      await eventually(async () => (await Promise.all(ids.map(stream))).every((s) => s.status === 'in_progress'), 20_000);
      // Held well past one lease by heartbeats alone.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect((await Promise.all(ids.map(stream))).map((s) => s.status)).toEqual(['in_progress', 'in_progress']);
    } finally {
      await stopHandler(handler, 'SIGKILL');
      for (const response of open) response.destroy();
      live.close();
    }

    await eventually(async () => (await Promise.all(ids.map(stream))).every((s) => s.status === 'restart'), 20_000);
    for (const id of ids) {
      const logs = (await t.http.get(`${ws.base}/streams/logs`).query({ stream_ids: id }).set(ws.owner.headers)).body.items;
      expect(logs.map((l: { status: string }) => l.status)).toEqual(['pending', 'in_progress', 'handler_lost', 'restart']);
      expect((await stream(id)).autorestart.current_attempt).toBe(1);
    }
    const queued = (await t.http.get(`${ws.base}/queue`).set(ws.owner.headers)).body.items.map((s: { stream_id: string }) => s.stream_id);
    // Both are back; their order is the order their leases ran out in.
    expect([...queued].sort()).toEqual([...ids].sort());
  });
});
