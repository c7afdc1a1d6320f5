import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { tenant } from './support/workspaces';
import { mediaNodes } from './support/media-nodes';

describe('Exactly one effect per deploy job: a worker killed mid-deploy', () => {
  let t: TestApp;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    // api and projector here; the worker role runs in child processes the test kills.
    t = await startTestApp('fleet_worker_crash', { env: { ROLES: 'api,projector' } });
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await t.close();
  });

  async function startWorker(): Promise<ChildProcess> {
    const child = fork(join(__dirname, 'support', 'role-process.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: {
        ...process.env,
        ROLES: 'worker',
        DATABASE_URL: t.config.databaseUrl,
        QUEUE_PREFIX: t.config.queuePrefix,
        LOG_LEVEL: 'silent',
        JOB_LOCK_SECONDS: '2',
        MEDIA_NODE_START_DELAY_MS: '3000',
        TS_NODE_PROJECT: 'tsconfig.json',
      },
      stdio: 'ignore',
    });
    workers.push(child);
    await once(child, 'message');
    return child;
  }

  it('leaves one running media node and tells the story once when another worker finishes the stalled job', async () => {
    // The worker comes first: it also sends the mails (verification) the tenant's owner needs.
    const first = await startWorker();
    const ws = await tenant(t, 'crash');
    const cluster = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'c', image_version: '1.0.0' }).expect(201)).body.id;
    const id = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: cluster }).expect(202)).body.id;
    const status = async () => (await t.http.get(`${ws.base}/instances/${id}`).set(ws.owner.headers)).body.status;

    // Mid-deploy: the job has begun provisioning and the (slow) media node is starting.
    await eventually(async () => (await status()) === 'provisioning' && mediaNodes(id).length === 1, 20_000);
    first.kill('SIGKILL');
    await once(first, 'exit');

    await startWorker();
    await eventually(async () => (await status()) === 'running', 30_000);

    expect(mediaNodes(id)).toHaveLength(1);
    const { rows } = await t.db.pool.query<{ type: string; n: number }>(`SELECT type, count(*)::int AS n FROM events WHERE stream_id = $1 GROUP BY type ORDER BY type`, [`instance-${id}`]);
    expect(rows).toEqual([
      { type: 'InstanceProvisioned', n: 1 },
      { type: 'InstanceProvisioningStarted', n: 1 },
      { type: 'InstanceRequested', n: 1 },
    ]);

    await t.app.get(LocalProvisioner).ensureStopped(id);
    expect(mediaNodes(id)).toHaveLength(0);
  }, 150_000); // two worker processes start from TypeScript; slow on a loaded machine

  it('carries out a cancel of a running deploy after the worker dies mid-deploy: the previous version runs, once, and the deploy never completes', async () => {
    const first = await startWorker();
    const ws = await tenant(t, 'cancel-crash');
    const cluster = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'c', image_version: '1.0.0' }).expect(201)).body.id;
    const id = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: cluster }).expect(202)).body.id;
    const instance = async () => (await t.http.get(`${ws.base}/instances/${id}`).set(ws.owner.headers)).body;
    await eventually(async () => (await instance()).status === 'running', 30_000);
    const deploy = (await t.http.post(`${ws.base}/instances/${id}/deploys`).set(ws.owner.headers).send({ image_version: '1.1.0' }).expect(202)).body.id;

    // Mid-deploy: the (slow) 1.1.0 node is starting when the cancel lands and the worker dies.
    await eventually(async () => (await t.http.get(`${ws.base}/deploys/${deploy}`).set(ws.owner.headers)).body.status === 'running', 20_000);
    await t.http.post(`${ws.base}/deploys/${deploy}/cancel`).set(ws.owner.headers).send({ reason: 'wrong build' }).expect(202);
    first.kill('SIGKILL');
    await once(first, 'exit');

    await startWorker();
    const running = await eventually(async () => {
      const seen = await instance();
      return seen.status === 'running' && seen;
    }, 40_000);
    const info = (await (await fetch(`${running.endpoint}/info`)).json()) as { version: string };
    expect(info.version).toBe('1.0.0');
    expect(running.image_version).toBe('1.0.0');
    expect(mediaNodes(id)).toHaveLength(1);
    const { rows } = await t.db.pool.query<{ type: string }>(`SELECT type FROM events WHERE stream_id = $1 AND type LIKE 'Deploy%' ORDER BY position`, [`instance-${id}`]);
    expect(rows.map((r) => r.type)).toEqual(['DeployRequested', 'DeployStarted', 'DeployCancelled']);

    await t.app.get(LocalProvisioner).ensureStopped(id);
  }, 150_000);
});
