import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { memberOf, Tenant, tenant } from './support/workspaces';

describe('Deploy blocks through HTTP: while a freeze holds, deploys, rollbacks and cluster roll-outs answer 409', () => {
  let t: TestApp;
  let ws: Tenant;
  let frozen: string;
  let open: string;
  let instanceOfFrozen: string;
  let instanceOfOpen: string;

  beforeAll(async () => {
    t = await startTestApp('fleet_deploy_blocks');
    ws = await tenant(t, 'deploy-blocks');
    const cluster = async (name: string) => (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name, image_version: '1.0.0' }).expect(201)).body.id;
    frozen = await cluster('frozen');
    open = await cluster('open');
    const instance = async (clusterId: string) => {
      const id = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: clusterId }).expect(202)).body.id;
      await eventually(async () => (await t.http.get(`${ws.base}/instances/${id}`).set(ws.owner.headers)).body.status === 'running', 30_000);
      return id;
    };
    instanceOfFrozen = await instance(frozen);
    instanceOfOpen = await instance(open);
  }, 90_000);
  afterAll(async () => {
    const provisioner = t.app.get(LocalProvisioner);
    await Promise.all([instanceOfFrozen, instanceOfOpen].map((id) => provisioner.ensureStopped(id)));
    await t.close();
  });

  const place = (body: object) => t.http.post(`${ws.base}/deploy-blocks`).set(ws.owner.headers).send(body);
  const deploy = (instanceId: string) => t.http.post(`${ws.base}/instances/${instanceId}/deploys`).set(ws.owner.headers).send({ image_version: '1.1.0' });
  const expectBlocked = (res: { status: number; headers: Record<string, string>; body: { code: string; detail: string } }, reason: string) => {
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('deploy_blocked');
    expect(res.body.detail).toContain(reason);
  };

  it('freezes one cluster: its deploys, rollbacks and image change answer 409 with the reason; the other cluster deploys', async () => {
    const res = await place({ reason: 'black friday', cluster_id: frozen }).expect(201);
    expect(res.body).toMatchObject({ id: expect.any(String), cluster_id: frozen, reason: 'black friday', created_by: { type: 'user', id: ws.owner.id }, version: 1 });
    expect(res.headers.location).toBe(`${ws.base}/deploy-blocks/${res.body.id}`);
    expect((await t.http.get(`${ws.base}/deploy-blocks/${res.body.id}`).set(ws.owner.headers).expect(200)).body).toEqual(res.body);

    expectBlocked(await deploy(instanceOfFrozen), 'black friday');
    expectBlocked(await t.http.post(`${ws.base}/instances/${instanceOfFrozen}/rollback`).set(ws.owner.headers).send({}), 'black friday');
    expectBlocked(await t.http.patch(`${ws.base}/clusters/${frozen}`).set(ws.owner.headers).send({ image_version: '1.1.0' }), 'black friday');
    // Renaming is no roll-out.
    await t.http.patch(`${ws.base}/clusters/${frozen}`).set(ws.owner.headers).send({ name: 'still-frozen' }).expect(200);
    expect((await t.http.get(`${ws.base}/instances/${instanceOfFrozen}/deploys`).set(ws.owner.headers).expect(200)).body.total).toBe(0);

    const other = await deploy(instanceOfOpen).expect(202);
    await eventually(async () => (await t.http.get(`${ws.base}/deploys/${other.body.id}`).set(ws.owner.headers)).body.status === 'succeeded', 30_000);

    await t.http.delete(`${ws.base}/deploy-blocks/${res.body.id}`).set(ws.owner.headers).expect(204);
    await t.http.delete(`${ws.base}/deploy-blocks/${res.body.id}`).set(ws.owner.headers).expect(404);
    await t.http.get(`${ws.base}/deploy-blocks/${res.body.id}`).set(ws.owner.headers).expect(404);
    const lifted = await deploy(instanceOfFrozen).expect(202);
    await eventually(async () => (await t.http.get(`${ws.base}/deploys/${lifted.body.id}`).set(ws.owner.headers)).body.status === 'succeeded', 30_000);
  }, 90_000);

  it('freezes the whole workspace without a cluster, and lists the freezes that hold, oldest first', async () => {
    const first = (await place({ reason: 'audit week' }).expect(201)).body;
    const second = (await place({ reason: 'second freeze', cluster_id: open }).expect(201)).body;
    expect(first.cluster_id).toBeNull();
    const listed = (await t.http.get(`${ws.base}/deploy-blocks`).set(ws.owner.headers).expect(200)).body.items;
    expect(listed.map((b: { id: string }) => b.id)).toEqual([first.id, second.id]);

    expectBlocked(await deploy(instanceOfOpen), 'audit week');
    expectBlocked(await t.http.patch(`${ws.base}/clusters/${frozen}`).set(ws.owner.headers).send({ image_version: '1.1.0' }), 'audit week');
    await t.http.delete(`${ws.base}/deploy-blocks/${first.id}`).set(ws.owner.headers).expect(204);
    // The cluster's own freeze still holds there, and nowhere else.
    expectBlocked(await deploy(instanceOfOpen), 'second freeze');
    await t.http.delete(`${ws.base}/deploy-blocks/${second.id}`).set(ws.owner.headers).expect(204);
    expect((await t.http.get(`${ws.base}/deploy-blocks`).set(ws.owner.headers).expect(200)).body.items).toEqual([]);
  });

  it('answers 400 naming the field, 404 for a cluster the workspace does not have, and 403 to a member', async () => {
    const missing = await place({}).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('reason');
    const badCluster = await place({ reason: 'x', cluster_id: 'nope' }).expect(400);
    expect(badCluster.body.errors.map((e: { field: string }) => e.field)).toEqual(['cluster_id']);
    await place({ reason: 'x', cluster_id: '00000000-0000-4000-8000-000000000000' }).expect(404);
    const member = await memberOf(t, ws, 'member');
    await t.http.post(`${ws.base}/deploy-blocks`).set(member.headers).send({ reason: 'mine' }).expect(403);
    await t.http.get(`${ws.base}/deploy-blocks`).set(member.headers).expect(200);
  });
});
