import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { registeredRoutes } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';
import { tenant } from './support/workspaces';

/**
 * Every platform-admin route, read off the live router so one added later is swept too: 401
 * without a token, 403 to a tenant (even the owner of the workspace a route names), and nothing
 * appended either way. The role and tenancy sweeps leave these routes out: they are no tenant's.
 */
describe('Admin routes: 401 without a token, 403 to anyone but a platform admin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('admin_sweep');
  });
  afterAll(() => t.close());

  it('sweeps the router', async () => {
    const owner = await tenant(t, 'owner');
    const routes = registeredRoutes(t).filter((route) => route.path.startsWith('/v1/admin/'));
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['get /v1/admin/users', 'get /v1/admin/workspaces', 'get /v1/admin/units', 'put /v1/admin/workspaces/:workspace_id/limit', 'post /v1/admin/catalog/versions', 'delete /v1/admin/catalog/machine-types/:name']),
    );
    const store = t.app.get<EventStore>(EVENT_STORE);
    const before = await store.headPosition();
    const known: Record<string, string> = { workspace_id: owner.workspaceId, version: '1.0.0', name: 'xsmall' };
    const wrong: string[] = [];
    for (const { method, path } of routes) {
      const url = path.replace(/:(\w+)/g, (_match, name: string) => known[name] ?? randomUUID());
      const send = (headers: Record<string, string>) => (t.http as unknown as Record<string, (url: string) => request.Test>)[method](url).set(headers).send({});
      const anonymous = await send({});
      const tenantOwner = await send(owner.owner.headers);
      if (anonymous.status !== 401 || tenantOwner.status !== 403) wrong.push(`${method.toUpperCase()} ${path}: ${anonymous.status} anonymous, ${tenantOwner.status} tenant`);
    }
    expect(wrong).toEqual([]);
    expect(await store.headPosition()).toBe(before);
  });
});
