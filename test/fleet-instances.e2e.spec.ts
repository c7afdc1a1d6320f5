import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { Tenant, tenant } from './support/workspaces';

describe('Fleet through HTTP: instances run as real processes through the local provisioner', () => {
  let t: TestApp;
  let ws: Tenant;
  let clusterId: string;
  const started: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('fleet_instances', { env: { HEALTH_CHECK_SECONDS: '1', MAX_HEALING_ATTEMPTS: '1' } });
    ws = await tenant(t, 'fleet');
    clusterId = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'edge', image_version: '1.0.0' }).expect(201)).body.id;
  });
  afterAll(async () => {
    // Instances outlive the app by design; the test stops what it started.
    const provisioner = t.app.get(LocalProvisioner);
    await Promise.all(started.map((id) => provisioner.ensureStopped(id)));
    await t.close();
  });

  const instances = () => `${ws.base}/instances`;
  const create = async (body: object = {}, owner = ws) => {
    const res = await t.http.post(`${owner.base}/instances`).set(owner.owner.headers).send({ cluster_id: clusterId, ...body });
    if (res.status === 202) started.push(res.body.id);
    return res;
  };
  const get = async (id: string) => (await t.http.get(`${instances()}/${id}`).set(ws.owner.headers).expect(200)).body;
  const until = (id: string, status: string) => eventually(async () => ((await get(id)).status === status ? get(id) : undefined), 30_000);

  it('requests an instance (202 pending); a deploy job brings up a real media node that answers at its endpoint', async () => {
    const res = await create({ name: 'node-1', machine_type: 'small', location: 'eu_north' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'pending', cluster_id: clusterId, machine_type: 'small', location: 'eu_north', image_version: '1.0.0', endpoint: null });
    const running = await until(res.body.id, 'running');
    expect(running.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${running.endpoint}/health`)).status).toBe(200);
    expect(await (await fetch(`${running.endpoint}/info`)).json()).toMatchObject({ instance_id: res.body.id, version: '1.0.0' });
  });

  it('stops, starts and restarts it for real; an action the status forbids is 400', async () => {
    const id = (await create()).body.id;
    const first = await until(id, 'running');
    const pidBefore = ((await (await fetch(`${first.endpoint}/info`)).json()) as { pid: number }).pid;

    expect((await t.http.post(`${instances()}/${id}/stop`).set(ws.owner.headers)).status).toBe(202);
    await until(id, 'stopped');
    await expect(fetch(`${first.endpoint}/health`)).rejects.toThrow();
    expect((await t.http.post(`${instances()}/${id}/stop`).set(ws.owner.headers)).status).toBe(400);
    expect((await t.http.post(`${instances()}/${id}/restart`).set(ws.owner.headers)).status).toBe(400);

    expect((await t.http.post(`${instances()}/${id}/start`).set(ws.owner.headers)).status).toBe(202);
    const again = await until(id, 'running');
    expect((await t.http.post(`${instances()}/${id}/start`).set(ws.owner.headers)).status).toBe(400);
    expect((await t.http.post(`${instances()}/${id}/restart`).set(ws.owner.headers)).status).toBe(202);
    const restarted = await until(id, 'running');
    const pidAfter = ((await (await fetch(`${restarted.endpoint}/info`)).json()) as { pid: number }).pid;
    expect(pidAfter).not.toBe(pidBefore);
    expect(again.version).toBeLessThan(restarted.version);
  });

  it('keeps routing keys unique across workspaces (409) and frees a key when its instance is archived', async () => {
    const key = `edge-${Date.now()}`;
    const id = (await create({ routing_key: key })).body.id;
    const other = await tenant(t, 'other');
    const otherCluster = (await t.http.post(`${other.base}/clusters`).set(other.owner.headers).send({ name: 'x', image_version: '1.1.0' }).expect(201)).body.id;
    const clash = await t.http.post(`${other.base}/instances`).set(other.owner.headers).send({ cluster_id: otherCluster, routing_key: key });
    expect(clash.status).toBe(409);

    expect((await t.http.delete(`${instances()}/${id}`).set(ws.owner.headers)).status).toBe(202);
    await until(id, 'archived');
    expect((await t.http.delete(`${instances()}/${id}`).set(ws.owner.headers)).status).toBe(404);
    const reused = await t.http.post(`${other.base}/instances`).set(other.owner.headers).send({ cluster_id: otherCluster, routing_key: key });
    expect(reused.status).toBe(202);
    started.push(reused.body.id);
    expect((await t.http.get(`${other.base}/instances/${reused.body.id}`).set(other.owner.headers)).body.image_version).toBe('1.1.0');
  });

  it('lists and counts with cluster_id, status and include_archived; rejects bad input; hides other workspaces', async () => {
    const listed = (await t.http.get(instances()).query({ cluster_id: clusterId }).set(ws.owner.headers).expect(200)).body;
    expect(listed.items.every((i: { status: string }) => i.status !== 'archived')).toBe(true);
    const withArchived = (await t.http.get(instances()).query({ include_archived: 'true' }).set(ws.owner.headers)).body;
    expect(withArchived.total).toBe(listed.total + 1);
    expect((await t.http.get(`${instances()}/count`).query({ status: 'archived', include_archived: 'true' }).set(ws.owner.headers)).body).toEqual({ count: 1 });

    for (const [body, field] of [
      [{ machine_type: 'huge' }, 'machine_type'],
      [{ location: 'moon' }, 'location'],
      [{ routing_key: 'Not Valid' }, 'routing_key'],
      [{ cluster_id: 'nope' }, 'cluster_id'],
    ] as const) {
      const res = await create(body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await create({ cluster_id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await t.http.get(instances()).query({ status: 'sleeping' }).set(ws.owner.headers)).status).toBe(400);

    const other = await tenant(t, 'stranger');
    const anyId = listed.items[0].id;
    expect((await t.http.get(`${other.base}/instances/${anyId}`).set(other.owner.headers)).status).toBe(404);
    expect((await t.http.post(`${other.base}/instances/${anyId}/stop`).set(other.owner.headers)).status).toBe(404);
  });

  it('reconfigures with PATCH (202), refusing a taken routing key (409), an empty patch and an unknown location (400)', async () => {
    const id = (await create({ routing_key: `own-${Date.now()}` })).body.id;
    const taken = `taken-${Date.now()}`;
    await create({ routing_key: taken });
    await until(id, 'running');
    const patched = await t.http.patch(`${instances()}/${id}`).set(ws.owner.headers).send({ machine_type: 'medium', routing_key: `moved-${Date.now()}` });
    expect(patched.status).toBe(202);
    expect(patched.body).toMatchObject({ machine_type: 'medium', routing_key: expect.stringMatching(/^moved-/) });
    expect((await t.http.patch(`${instances()}/${id}`).set(ws.owner.headers).send({ routing_key: taken })).status).toBe(409);
    expect((await t.http.patch(`${instances()}/${id}`).set(ws.owner.headers).send({})).status).toBe(400);
    expect((await t.http.patch(`${instances()}/${id}`).set(ws.owner.headers).send({ location: 'moon' })).status).toBe(400);
    // A stopped instance takes a new configuration for its next start.
    await t.http.post(`${instances()}/${id}/stop`).set(ws.owner.headers).expect(202);
    await until(id, 'stopped');
    expect((await t.http.patch(`${instances()}/${id}`).set(ws.owner.headers).send({ machine_type: 'large' })).status).toBe(202);
    // Started again, it runs a new process with the configuration it took while stopped.
    await t.http.post(`${instances()}/${id}/start`).set(ws.owner.headers).expect(202);
    const restarted = await until(id, 'running');
    expect(restarted).toMatchObject({ machine_type: 'large', routing_key: patched.body.routing_key, last_error: null });
    const info = (await (await fetch(`${restarted.endpoint}/info`)).json()) as { instance_id: string; started_at: string };
    expect(info.instance_id).toBe(id);
    expect(Date.parse(info.started_at)).toBeGreaterThan(Date.parse(patched.body.updated_at));
  });

  it("refuses a cluster's new image while one of its instances is still coming up (400)", async () => {
    const cluster = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'busy', image_version: '1.0.0' }).expect(201)).body.id;
    const id = (await create({ cluster_id: cluster })).body.id;
    const res = await t.http.patch(`${ws.base}/clusters/${cluster}`).set(ws.owner.headers).send({ image_version: '1.1.0' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/cannot be reconfigured/);
    await until(id, 'running');
    await t.http.delete(`${instances()}/${id}`).set(ws.owner.headers).expect(202);
    await until(id, 'archived');
  });

  it('refuses to delete a cluster or a workspace that still has instances (400)', async () => {
    expect((await t.http.delete(`${ws.base}/clusters/${clusterId}`).set(ws.owner.headers)).status).toBe(400);
    expect((await t.http.delete(ws.base).set(ws.owner.headers)).status).toBe(400);
  });

  it('detects a crashed instance process and heals it, once; a second crash is left failed', async () => {
    const id = (await create({ name: 'crashy' })).body.id;
    const running = await until(id, 'running');
    const pid = ((await (await fetch(`${running.endpoint}/info`)).json()) as { pid: number }).pid;
    process.kill(pid, 'SIGKILL');

    const healed = await eventually(async () => {
      const now = await get(id);
      return now.status === 'running' && now.version > running.version ? now : undefined;
    }, 30_000);
    const newPid = ((await (await fetch(`${healed.endpoint}/info`)).json()) as { pid: number }).pid;
    expect(newPid).not.toBe(pid);

    process.kill(newPid, 'SIGKILL');
    const failed = await until(id, 'failed');
    expect(failed.last_error).toMatch(/health check/);
    const { rows } = await t.db.pool.query<{ type: string }>(`SELECT type FROM events WHERE stream_id = $1 ORDER BY position`, [`instance-${id}`]);
    expect(rows.map((r) => r.type)).toEqual([
      'InstanceRequested',
      'InstanceProvisioningStarted',
      'InstanceProvisioned',
      'InstanceCrashed',
      'InstanceHealingStarted',
      'InstanceProvisioningStarted',
      'InstanceProvisioned',
      'InstanceCrashed',
    ]);
  });

  it('enforces the instance limit without a race: two concurrent creates at the limit, one 202 and one 403', async () => {
    const small = await tenant(t, 'limited');
    const cluster = (await t.http.post(`${small.base}/clusters`).set(small.owner.headers).send({ name: 'c', image_version: '1.0.0' }).expect(201)).body.id;
    const request = (await t.http.post(`${small.base}/limit-requests`).set(small.owner.headers).send({ desired_limit: 1, reason: 'test' }).expect(201)).body;
    await t.http.post(`/v1/admin/limit-requests/${request.id}/approve`).set(t.admin).expect(200);

    const results = await Promise.all([0, 1].map(() => t.http.post(`${small.base}/instances`).set(small.owner.headers).send({ cluster_id: cluster })));
    for (const res of results) if (res.status === 202) started.push(res.body.id);
    expect(results.map((r) => r.status).sort()).toEqual([202, 403]);
    expect((await t.http.get(`${small.base}/instances/count`).set(small.owner.headers)).body.count).toBe(1);
  });
});
