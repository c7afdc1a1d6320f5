import { startTestApp, TestApp } from './support/test-app';
import { PASSWORD, verifiedUser } from './support/users';
import { tenant } from './support/workspaces';

/** Issue 9, item 9: metrics behind admin auth, security headers, no caching of secrets, server-side correlation ids. */
describe('Security headers and the rest', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('headers');
  });
  afterAll(() => t.close());

  it('/metrics is for platform admins: 401 anonymous, 403 for a user, 200 for an admin', async () => {
    const user = await verifiedUser(t, 'curious');
    expect((await t.http.get('/metrics')).status).toBe(401);
    expect((await t.http.get('/metrics').set(user.headers)).status).toBe(403);
    const scraped = await t.http.get('/metrics').set(t.admin);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('streamplane_');
  });

  it('answers carry helmet’s headers', async () => {
    const res = await t.http.get('/v1/version');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
    // Plain-HTTP installs (an address, no TLS) must keep working: no forced upgrade of subresources.
    expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  it('Swagger UI still works under the CSP: no inline script, and its scripts are served', async () => {
    const page = await t.http.get('/docs/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body.trim()).toBe(''); // an inline script would be blocked by script-src 'self'
      const src = /src="\.?\/?([^"]+)"/.exec(attributes)![1];
      expect((await t.http.get(`/docs/${src}`)).status).toBe(200);
    }
  });

  it('answers carrying a token, and /v1/me, are never stored by caches', async () => {
    const user = await verifiedUser(t, 'cached');
    const signedIn = await t.http.post('/v1/auth/sign-in').send({ email: user.email, password: PASSWORD });
    expect(signedIn.headers['cache-control']).toBe('no-store');
    const created = await t.http.post('/v1/tokens').set(user.headers).send({ name: 'ci' });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect((await t.http.get('/v1/me').set(user.headers)).headers['cache-control']).toBe('no-store');
  });

  it('a client’s X-Request-Id is recorded as request_id; the correlation id is the server’s', async () => {
    const ws = await tenant(t, 'audited');
    const res = await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).set('X-Request-Id', 'forged-correlation').send({ data: { reference: 'file:///tmp/a.mp4' }, event_handler: {} });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('forged-correlation');
    const { rows } = await t.db.pool.query<{ metadata: Record<string, unknown> }>('SELECT metadata FROM events WHERE stream_id = $1', [`stream-${res.body.stream_id}`]);
    expect(rows.length).toBeGreaterThan(0);
    for (const { metadata } of rows) {
      expect(metadata.request_id).toBe('forged-correlation');
      expect(metadata.$correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(metadata.$correlationId).not.toBe('forged-correlation');
    }
  });
});
