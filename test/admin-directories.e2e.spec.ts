import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { memberOf, Tenant, tenant } from './support/workspaces';

/** The platform admins' directories (CEEMS' admin users, projects and units) and their direct say over a workspace's limit. */
describe('Admin directories through HTTP: users, workspaces, units and a workspace limit', () => {
  let t: TestApp;
  let ws: Tenant;
  let other: Tenant;
  let instanceId: string;
  const started: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('admin_directories');
    ws = await tenant(t, 'studio');
    other = await tenant(t, 'broadcast');
    await memberOf(t, ws, 'viewer');
    const clusterId = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'edge', image_version: '1.0.0' }).expect(201)).body.id;
    instanceId = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: clusterId }).expect(202)).body.id;
    started.push(instanceId);
    await eventually(async () => (await t.http.get(`${ws.base}/instances/${instanceId}`).set(ws.owner.headers)).body.status === 'running', 30_000);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(started.map((id) => t.app.get(LocalProvisioner).ensureStopped(id)));
    await t.close();
  });

  const admin = (path: string, query: Record<string, string> = {}) => t.http.get(`/v1/admin/${path}`).query(query).set(t.admin);
  const fieldsOf = (res: { body: { errors?: Array<{ field: string }> } }) => (res.body.errors ?? []).map((e) => e.field);

  it('answers 401 without a token and 403 to anyone but a platform admin, and appends nothing', async () => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const before = await store.headPosition();
    const calls = [
      () => t.http.get('/v1/admin/users'),
      () => t.http.get('/v1/admin/workspaces'),
      () => t.http.get('/v1/admin/units'),
      () => t.http.put(`/v1/admin/workspaces/${ws.workspaceId}/limit`).send({ instance_limit: 50 }),
    ];
    for (const call of calls) {
      expect((await call()).status).toBe(401);
      expect((await call().set(ws.owner.headers)).status).toBe(403);
    }
    expect(await store.headPosition()).toBe(before);
  });

  it('lists users, paged, with how many workspaces each belongs to; filters by a part of the email and by platform admin', async () => {
    const all = (await admin('users').expect(200)).body;
    expect(all).toMatchObject({ page: 1, page_size: 20, total: expect.any(Number) });
    expect(all.total).toBeGreaterThanOrEqual(4);
    const owner = all.items.find((u: { id: string }) => u.id === ws.owner.id);
    expect(owner).toEqual({ id: ws.owner.id, email: ws.owner.email, verified: true, is_platform_admin: false, created_at: expect.any(String), workspaces: 1 });

    const byEmail = (await admin('users', { email: ws.owner.email.slice(0, 12).toUpperCase() }).expect(200)).body;
    expect(byEmail.items.map((u: { id: string }) => u.id)).toEqual([ws.owner.id]);
    const admins = (await admin('users', { is_platform_admin: 'true' }).expect(200)).body;
    expect(admins.items.map((u: { email: string }) => u.email)).toEqual(['admin@streamplane.test']);
    const others = (await admin('users', { is_platform_admin: 'false' }).expect(200)).body;
    expect(others.total).toBe(all.total - 1);
    const second = (await admin('users', { page: '2', page_size: '1' }).expect(200)).body;
    expect(second).toMatchObject({ page: 2, page_size: 1, total: all.total });
    expect(second.items).toEqual([all.items[1]]);
    expect((await admin('users', { page: '99' }).expect(200)).body).toMatchObject({ items: [], total: all.total });

    for (const [query, field] of [[{ is_platform_admin: 'maybe' }, 'is_platform_admin'], [{ page_size: '0' }, 'page_size'], [{ email: '' }, 'email']] as const) {
      const res = await admin('users', query);
      expect({ field, status: res.status, type: res.headers['content-type'] }).toEqual({ field, status: 400, type: expect.stringContaining('application/problem+json') });
      expect(fieldsOf(res)).toContain(field);
    }
  });

  it('lists workspaces with their limit, members and running instances; filters by owner and by a part of the name', async () => {
    const mine = await eventually(async () => {
      const listed = (await admin('workspaces', { owner_id: ws.owner.id }).expect(200)).body;
      return listed.items[0]?.instances_running === 1 && listed;
    }, 30_000);
    expect(mine).toMatchObject({ page: 1, page_size: 20, total: 1 });
    expect(mine.items[0]).toEqual({ id: ws.workspaceId, name: 'studio workspace', owner_id: ws.owner.id, instance_limit: 5, members: 2, instances_running: 1, created_at: expect.any(String) });
    const byName = (await admin('workspaces', { name: 'BROADCAST' }).expect(200)).body;
    expect(byName.items.map((w: { id: string; instances_running: number }) => [w.id, w.instances_running])).toEqual([[other.workspaceId, 0]]);
    expect((await admin('workspaces').expect(200)).body.total).toBeGreaterThanOrEqual(2);
    const bad = await admin('workspaces', { owner_id: 'not-a-uuid' });
    expect({ status: bad.status, fields: fieldsOf(bad) }).toEqual({ status: 400, fields: ['owner_id'] });
  });

  it('lists the metered units of every workspace, or of one, running or not, by subject type', async () => {
    const units = await eventually(async () => {
      const listed = (await admin('units', { running: 'true' }).expect(200)).body;
      return listed.items.some((u: { subject_id: string }) => u.subject_id === instanceId) && listed;
    }, 30_000);
    expect(units.items.find((u: { subject_id: string }) => u.subject_id === instanceId)).toMatchObject({ workspace_id: ws.workspaceId, subject_type: 'instance', status: 'running', ended_at: null, seconds: expect.any(Number) });
    expect((await admin('units', { workspace_id: ws.workspaceId }).expect(200)).body).toMatchObject({ total: 1, items: [{ subject_id: instanceId }] });
    expect((await admin('units', { workspace_id: other.workspaceId }).expect(200)).body).toMatchObject({ total: 0, items: [] });
    expect((await admin('units', { running: 'false', workspace_id: ws.workspaceId }).expect(200)).body.total).toBe(0);
    expect((await admin('units', { subject_type: 'stream', workspace_id: ws.workspaceId }).expect(200)).body.total).toBe(0);
    for (const [query, field] of [[{ workspace_id: 'x' }, 'workspace_id'], [{ running: 'maybe' }, 'running'], [{ subject_type: 'vm' }, 'subject_type']] as const) {
      const res = await admin('units', query);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(fieldsOf(res)).toContain(field);
    }
  });

  it("sets a workspace's instance limit directly: the next request is held to it, and a repeat writes nothing", async () => {
    const set = await t.http.put(`/v1/admin/workspaces/${ws.workspaceId}/limit`).set(t.admin).send({ instance_limit: 1 }).expect(200);
    expect(set.body).toEqual({ workspace_id: ws.workspaceId, instance_limit: 1, version: expect.any(Number) });
    const again = await t.http.put(`/v1/admin/workspaces/${ws.workspaceId}/limit`).set(t.admin).send({ instance_limit: 1 }).expect(200);
    expect(again.body.version).toBe(set.body.version);
    expect((await t.http.get(ws.base).set(ws.owner.headers).expect(200)).body.instance_limit).toBe(1);
    const clusterId = (await t.http.get(`${ws.base}/clusters`).set(ws.owner.headers).expect(200)).body.items[0].id;
    expect((await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: clusterId })).status).toBe(403);
    expect((await admin('workspaces', { owner_id: ws.owner.id }).expect(200)).body.items[0].instance_limit).toBe(1);

    for (const [body, field] of [[{}, 'instance_limit'], [{ instance_limit: -1 }, 'instance_limit'], [{ instance_limit: 2.5 }, 'instance_limit'], [{ instance_limit: 10001 }, 'instance_limit']] as const) {
      const res = await t.http.put(`/v1/admin/workspaces/${ws.workspaceId}/limit`).set(t.admin).send(body);
      expect({ status: res.status, fields: [...new Set(fieldsOf(res))] }).toEqual({ status: 400, fields: [field] });
    }
    expect((await t.http.put('/v1/admin/workspaces/00000000-0000-4000-8000-000000000000/limit').set(t.admin).send({ instance_limit: 3 })).status).toBe(404);
    expect((await t.http.put('/v1/admin/workspaces/nope/limit').set(t.admin).send({ instance_limit: 3 })).status).toBe(400);
  });
});
