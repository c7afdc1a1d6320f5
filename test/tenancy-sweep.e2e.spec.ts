import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { startTestApp, TestApp } from './support/test-app';
import { registeredRoutes } from './support/routes';
import { verifiedUser } from './support/users';

/**
 * Every tenant route, so one added by any later context is swept without touching this test.
 * Platform-admin routes that name a workspace (`/v1/admin/workspaces/...`) answer 403 to anyone
 * who is not a platform admin, whatever the workspace: they are no tenant's routes.
 */
function tenantRoutes(t: TestApp) {
  return registeredRoutes(t).filter((route) => route.path.includes(':workspace_id') && !route.path.startsWith('/v1/admin/'));
}

describe('Tenancy: every tenant route answers 404 to a non-member and appends nothing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('tenancy_sweep');
  });
  afterAll(() => t.close());

  it('sweeps the router', async () => {
    const owner = await verifiedUser(t, 'owner');
    const stranger = await verifiedUser(t, 'stranger');
    const workspace = (await t.http.post('/v1/workspaces').set(owner.headers).send({ name: 'Private' }).expect(201)).body;
    // Real ids from the workspace where a route names one (a member's id), random ones elsewhere:
    // either way the stranger must learn nothing, not even whether the inner id exists.
    const known: Record<string, string> = { workspace_id: workspace.id, user_id: owner.id };

    const routes = tenantRoutes(t);
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const store = t.app.get<EventStore>(EVENT_STORE);
    const headBefore = await store.headPosition();

    const leaks: string[] = [];
    for (const { method, path } of routes) {
      const url = path.replace(/:(\w+)/g, (_match, name: string) => known[name] ?? randomUUID());
      const res = await (t.http as unknown as Record<string, (url: string) => import('supertest').Test>)[method](url)
        .set(stranger.headers)
        .send({});
      if (res.status !== 404) leaks.push(`${method.toUpperCase()} ${path} answered ${res.status}`);
    }

    expect(leaks).toEqual([]);
    expect(await store.headPosition()).toBe(headBefore);
  });

  it('answers 404, not 403, to a token bound to another workspace, even an admin-owned one', async () => {
    const owner = await verifiedUser(t, 'owner');
    const mine = (await t.http.post('/v1/workspaces').set(owner.headers).send({ name: 'Mine' }).expect(201)).body;
    const other = (await t.http.post('/v1/workspaces').set(owner.headers).send({ name: 'Other' }).expect(201)).body;
    const bound = (await t.http.post('/v1/tokens').set(owner.headers).send({ name: 'ci', workspace_id: mine.id }).expect(201)).body;
    const headers = { Authorization: `Bearer ${bound.token}` };

    await t.http.get(`/v1/workspaces/${mine.id}/members`).set(headers).expect(200);
    await t.http.get(`/v1/workspaces/${other.id}/members`).set(headers).expect(404);
    await t.http.patch(`/v1/workspaces/${other.id}`).set(headers).send({ name: 'x' }).expect(404);
  });
});
