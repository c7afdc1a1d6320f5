import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from '@streamplane/fleet/provisioner/local-provisioner';
import { RoleProcess } from './faults/support/role-processes';
import { startTestApp, TestApp } from './support/test-app';
import { millisUntil } from './support/millis-until';
import { verifiedUser } from './support/users';
import { join as joinWorkspace, tenant, Tenant } from './support/workspaces';

/**
 * Authentication and tenancy are cached in each api process. A change made through one process
 * that ends or narrows access (a revoked token, a removed member, a lowered role) must hold in
 * every other process within a second.
 */
describe('Cached access is dropped everywhere within 1 s of a change', () => {
  let t: TestApp;
  let other: RoleProcess;
  let elsewhere: ReturnType<typeof request>;
  let ws: Tenant;

  beforeAll(async () => {
    t = await startTestApp('auth_cache');
    const port = await freePort();
    other = new RoleProcess('api', { ROLES: 'api', ROLE_PROCESS_LISTEN: '1', PORT: String(port), DATABASE_URL: t.config.databaseUrl, QUEUE_PREFIX: t.config.queuePrefix, LOG_LEVEL: 'warn', RATE_LIMIT_PER_ADDRESS: '10000000', RATE_LIMIT_PER_PRINCIPAL: '10000000' }, join(mkdtempSync(join(tmpdir(), 'sp-auth-cache-')), 'api.log'));
    await other.start();
    elsewhere = request(`http://127.0.0.1:${port}`);
    ws = await tenant(t, 'cache');
  }, 120_000);
  afterAll(async () => {
    await other?.kill();
    await t.close();
  });

  it('refuses a revoked API token on the other process within 1 s', async () => {
    const token = (await t.http.post('/v1/tokens').set(ws.owner.headers).send({ name: 'ci', workspace_id: ws.workspaceId }).expect(201)).body;
    const bearer = { Authorization: `Bearer ${token.token}` };
    // Used on the other process first, so it has the token cached.
    await elsewhere.get(`${ws.base}/streams`).set(bearer).expect(200);
    await elsewhere.get(`${ws.base}/streams`).set(bearer).expect(200);

    await t.http.delete(`/v1/tokens/${token.id}`).set(ws.owner.headers).expect(204);
    expect(await millisUntil(async () => (await elsewhere.get(`${ws.base}/streams`).set(bearer)).status === 401)).toBeLessThan(1000);
  });

  it('refuses a removed member, and a lowered role, on the other process within 1 s', async () => {
    const member = await verifiedUser(t, 'cached');
    await joinWorkspace(t, ws.base, ws.owner.headers, member, 'admin');
    const clusters = `${ws.base}/clusters`;
    // An admin may create clusters; the other process learns (and caches) that role.
    await elsewhere.post(clusters).set(member.headers).send({ name: 'first', image_version: '1.0.0' }).expect(201);

    await t.http.patch(`${ws.base}/members/${member.id}`).set(ws.owner.headers).send({ role: 'viewer' }).expect(200);
    expect(await millisUntil(async () => (await elsewhere.post(clusters).set(member.headers).send({ name: 'second', image_version: '1.0.0' })).status === 403)).toBeLessThan(1000);

    await elsewhere.get(`${ws.base}/streams`).set(member.headers).expect(200);
    await t.http.delete(`${ws.base}/members/${member.id}`).set(ws.owner.headers).expect(204);
    expect(await millisUntil(async () => (await elsewhere.get(`${ws.base}/streams`).set(member.headers)).status === 404)).toBeLessThan(1000);
  });
});
