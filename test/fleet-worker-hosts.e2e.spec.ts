import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { tenant } from './support/workspaces';
import { mediaNodes } from './support/media-nodes';
import { removeWorkerHosts, startWorkerHosts, stopWorkerHosts, workerHosts } from './support/worker-hosts';

const CHECK = { HEALTH_CHECK_SECONDS: '1', WORKER_HOST_LOST_SECONDS: '3' };

describe('Two worker hosts on one database: each checks and heals only the instances it runs', () => {
  let t: TestApp;
  const hosts = workerHosts('host-a', 'host-b');

  beforeAll(async () => {
    // api and projector here; each worker host is its own process with its own instances folder.
    t = await startTestApp('fleet_worker_hosts', { env: { ROLES: 'api,projector', ...CHECK } });
    await startWorkerHosts(t, hosts, CHECK);
  });
  afterAll(async () => {
    await stopWorkerHosts(t, hosts);
    await t.close();
    removeWorkerHosts(hosts);
  });

  const install = () => createHash('sha256').update(t.config.databaseUrl).digest('hex').slice(0, 12);
  const eventTypes = async (id: string) => (await t.db.pool.query<{ type: string }>(`SELECT type FROM events WHERE stream_id = $1 ORDER BY position`, [`instance-${id}`])).rows.map((r) => r.type);
  const checksBy = async (hostId: string) =>
    Number((await t.db.pool.query<{ checks: string }>(`SELECT checks FROM fleet_worker_hosts WHERE host_id = $1`, [hostId]).catch(() => ({ rows: [] }))).rows[0]?.checks ?? 0);

  it('the other host never heals it; when its own host dies it is reported host_lost, not started twice', async () => {
    const ws = await tenant(t, 'hosts');
    const cluster = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'c', image_version: '1.0.0' }).expect(201)).body.id;
    const id = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: cluster }).expect(202)).body.id;
    const get = async () => (await t.http.get(`${ws.base}/instances/${id}`).set(ws.owner.headers).expect(200)).body;
    await eventually(async () => (await get()).status === 'running', 30_000);

    // Whichever host took the deploy job runs it: its state file is in that host's folder.
    const owner = hosts.find((host) => existsSync(join(host.dir, install(), `${id}.json`)))!;
    const other = hosts.find((host) => host !== owner)!;
    expect(owner).toBeDefined();

    // Proof that the other host looked: three of its checks ran since the instance came up.
    const before = await checksBy(other.id);
    await eventually(async () => (await checksBy(other.id)) >= before + 3 || (await eventTypes(id)).includes('InstanceCrashed'), 20_000);
    expect(await eventTypes(id)).toEqual(['InstanceRequested', 'InstanceProvisioningStarted', 'InstanceProvisioned']);
    expect(await get()).toMatchObject({ status: 'running', host: owner.id, host_lost: false });
    expect(mediaNodes(id)).toHaveLength(1);

    // The owner dies; its instance keeps running where nobody else can see it.
    owner.process!.kill('SIGKILL');
    await once(owner.process!, 'exit');
    const lost = await eventually(async () => {
      const now = await get();
      return now.host_lost ? now : undefined;
    }, 20_000);
    expect(lost).toMatchObject({ status: 'running', host: owner.id, host_lost: true });
    expect(await eventTypes(id)).toEqual(['InstanceRequested', 'InstanceProvisioningStarted', 'InstanceProvisioned', 'InstanceHostLost']);
    expect(mediaNodes(id)).toHaveLength(1);
  });
});
