import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { QueueRegistry } from '@streamplane/core';
import { deployQueueOf } from '@streamplane/fleet/deploys/deploy-queues';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { tenant } from './support/workspaces';
import { mediaNodes } from './support/media-nodes';
import { removeWorkerHosts, startWorkerHosts, stopWorkerHosts, workerHosts } from './support/worker-hosts';

const CHECK = { HEALTH_CHECK_SECONDS: '1', WORKER_HOST_LOST_SECONDS: '3' };

describe('Jobs that act on an instance’s process go to the worker host that runs it', () => {
  let t: TestApp;
  const hosts = workerHosts('host-a', 'host-b');

  beforeAll(async () => {
    // api and projector here; each worker host is its own process with its own instances folder, both consuming all along.
    t = await startTestApp('fleet_host_routing', { env: { ROLES: 'api,projector', ...CHECK } });
    await startWorkerHosts(t, hosts, CHECK);
  });
  afterAll(async () => {
    await stopWorkerHosts(t, hosts);
    await t.close();
    removeWorkerHosts(hosts);
  });

  const install = () => createHash('sha256').update(t.config.databaseUrl).digest('hex').slice(0, 12);
  const runsOn = (id: string) => hosts.filter((host) => existsSync(join(host.dir, install(), `${id}.json`)));
  const eventTypes = async (id: string) => (await t.db.pool.query<{ type: string }>(`SELECT type FROM events WHERE stream_id = $1 ORDER BY position`, [`instance-${id}`])).rows.map((r) => r.type);
  const completedOn = async (hostId: string) => (await t.app.get(QueueRegistry).queue(deployQueueOf(hostId)).getJobCounts('completed', 'active', 'wait', 'delayed', 'failed'));

  async function setUp(name: string) {
    const ws = await tenant(t, name);
    const cluster = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'c', image_version: '1.0.0' }).expect(201)).body.id;
    const id = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: cluster }).expect(202)).body.id as string;
    const get = async () => (await t.http.get(`${ws.base}/instances/${id}`).set(ws.owner.headers).expect(200)).body;
    // The status once the instance's stream has moved `steps` events past `from` (a status read alone may see the old one).
    const settled = async (status: string, from: number, steps: number) => {
      const now = await eventually(async () => {
        const view = await get();
        return view.version >= from + steps ? view : undefined;
      }, 30_000);
      expect(now).toMatchObject({ status, version: from + steps });
      return now;
    };
    await settled('running', 1, 2);
    return { ws, id, get, settled };
  }

  it('restarts, an env restart and a stop run on its host: one media node at a time, each old one stopped, every event once', async () => {
    const { ws, id, get, settled } = await setUp('routing');
    // The first provisioning went to whichever host took it from the shared queue.
    const [owner, ...more] = runsOn(id);
    expect(more).toHaveLength(0);
    const other = hosts.find((host) => host !== owner)!;
    expect(await get()).toMatchObject({ host: owner.id });
    let pids = mediaNodes(id);
    expect(pids).toHaveLength(1);

    // With both hosts taking jobs, a restart taken by the other host used to start a second copy.
    const restarts = [
      () => t.http.post(`${ws.base}/instances/${id}/restart`).set(ws.owner.headers).expect(202),
      () => t.http.post(`${ws.base}/instances/${id}/restart`).set(ws.owner.headers).expect(202),
      () => t.http.put(`${ws.base}/instances/${id}/env`).set(ws.owner.headers).send({ envs: { GREETING: 'hi' }, restart: true }).expect(200),
    ];
    for (const [i, restart] of restarts.entries()) {
      const { version } = await get();
      await restart();
      await settled('running', version, i === 2 ? 4 : 3); // (env changed,) restart requested, provisioning started, provisioned
      const now = mediaNodes(id);
      expect(now).toHaveLength(1);
      expect(now[0]).not.toBe(pids[0]); // a restart restarts, even with the same spec
      pids = now;
      expect(runsOn(id)).toEqual([owner]);
      expect(await get()).toMatchObject({ status: 'running', host: owner.id, host_lost: false });
    }

    // A stop taken by the other host used to stop nothing and report it stopped.
    const { version } = await get();
    await t.http.post(`${ws.base}/instances/${id}/stop`).set(ws.owner.headers).expect(202);
    await settled('stopped', version, 2);
    expect(mediaNodes(id)).toEqual([]);
    expect(runsOn(id)).toEqual([]);

    const run = ['InstanceProvisioningStarted', 'InstanceProvisioned'];
    expect(await eventTypes(id)).toEqual([
      'InstanceRequested', ...run,
      'InstanceRestartRequested', ...run,
      'InstanceRestartRequested', ...run,
      'InstanceEnvChanged', 'InstanceRestartRequested', ...run,
      'InstanceStopRequested', 'InstanceStopped',
    ]);
    // Every one of those four jobs ran on the owner's own queue; the other host's got none.
    expect(await completedOn(owner.id)).toMatchObject({ completed: 4, failed: 0, wait: 0, active: 0, delayed: 0 });
    expect(await completedOn(other.id)).toMatchObject({ completed: 0, failed: 0, wait: 0, active: 0, delayed: 0 });

    // Stopped, it runs nowhere: any host may start it, and that host then deletes it.
    await t.http.post(`${ws.base}/instances/${id}/start`).set(ws.owner.headers).expect(202);
    const started = await settled('running', version + 2, 3);
    const [starter, ...others] = runsOn(id);
    expect(others).toHaveLength(0);
    expect(started.host).toBe(starter.id);
    expect(mediaNodes(id)).toHaveLength(1);
    const before = (await completedOn(starter.id)).completed;
    await t.http.delete(`${ws.base}/instances/${id}`).set(ws.owner.headers).expect(202);
    await settled('archived', started.version, 2);
    expect(mediaNodes(id)).toEqual([]);
    expect(runsOn(id)).toEqual([]);
    // The job reports archived, then gives the slot back: it completes a moment later.
    await eventually(async () => (await completedOn(starter.id)).completed === before + 1, 20_000);
    expect((await eventTypes(id)).slice(-5)).toEqual(['InstanceStartRequested', ...run, 'InstanceDeleteRequested', 'InstanceArchived']);
  });

  it('when its host is lost, acting on its process is 409 host_lost and no other host touches it', async () => {
    const { ws, id, get } = await setUp('lost');
    const [owner] = runsOn(id);
    const pids = mediaNodes(id);
    expect(pids).toHaveLength(1);

    owner.process!.kill('SIGKILL');
    await once(owner.process!, 'exit');
    await eventually(async () => (await get()).host_lost === true, 20_000);

    const refused = [
      t.http.post(`${ws.base}/instances/${id}/stop`),
      t.http.post(`${ws.base}/instances/${id}/restart`),
      t.http.delete(`${ws.base}/instances/${id}`),
      t.http.post(`${ws.base}/instances/${id}/deploys`).send({ image_version: '1.1.0' }),
      t.http.put(`${ws.base}/instances/${id}/env`).send({ envs: { A: '1' }, restart: true }),
    ];
    for (const request of refused) {
      const response = await request.set(ws.owner.headers).expect(409);
      expect(response.body).toMatchObject({ code: 'host_lost' });
      expect(response.body.detail).toContain(owner.id);
    }
    // Data for its next start may still change.
    await t.http.put(`${ws.base}/instances/${id}/env`).set(ws.owner.headers).send({ envs: { A: '1' } }).expect(200);

    expect(await get()).toMatchObject({ status: 'running', host: owner.id, host_lost: true });
    expect(await eventTypes(id)).toEqual(['InstanceRequested', 'InstanceProvisioningStarted', 'InstanceProvisioned', 'InstanceHostLost', 'InstanceEnvChanged']);
    expect(mediaNodes(id)).toEqual(pids);
  });
});
