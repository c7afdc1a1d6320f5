import { eventually, startTestApp, TestApp } from './support/test-app';
import { memberOf, Tenant, tenant } from './support/workspaces';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const queued = { name: 'cam', data: { reference: 'file:///cam.mp4' }, event_handler: {} };

describe('Service tokens: workspace-owned, scoped, outliving the member who made them', () => {
  let t: TestApp;
  let ws: Tenant;
  beforeAll(async () => {
    t = await startTestApp('service_tokens');
    ws = await tenant(t, 'service-tokens');
  });
  afterAll(() => t.close());

  const create = (headers: { Authorization: string }, body: object) => t.http.post(`${ws.base}/service-tokens`).set(headers).send(body);

  it('lets a streams:handle token take and report on the queue, and nothing else', async () => {
    const made = (await create(ws.owner.headers, { name: 'handler', scopes: ['streams:handle'] }).expect(201)).body;
    expect(made.token).toMatch(/^sp_service_/);
    expect(made.scopes).toEqual(['streams:handle']);
    const handler = bearer(made.token);
    const stream = (await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).send(queued).expect(201)).body;

    const taken = (await t.http.post(`${ws.base}/queue/take`).set(handler).send({ limit: 5 }).expect(200)).body.items;
    expect(taken.map((s: { stream_id: string }) => s.stream_id)).toContain(stream.stream_id);
    const feedback = (await t.http.post(`${ws.base}/queue/feedback`).set(handler).send({ streams: [{ stream_id: stream.stream_id, status: 'in_progress' }] }).expect(200)).body;
    expect(feedback.items[0].accepted).toBe(true);

    for (const [method, path] of [
      ['get', '/streams'],
      ['post', '/streams'],
      ['get', `/streams/${stream.stream_id}`],
      ['get', '/queue'],
      ['post', '/clusters'],
    ] as const) {
      const res = await t.http[method](`${ws.base}${path}`).set(handler).send(method === 'post' ? queued : undefined);
      expect([method, path, res.status, res.body.detail]).toEqual([method, path, 403, expect.stringContaining('streams:handle')]);
    }
  });

  it('lets a workspace:read token read every resource route and write none; people routes and account routes refuse it', async () => {
    const reader = bearer((await create(ws.owner.headers, { name: 'dashboard', scopes: ['workspace:read'] }).expect(201)).body.token);
    await t.http.get(`${ws.base}/streams`).set(reader).expect(200);
    await t.http.get(`${ws.base}/clusters`).set(reader).expect(200);
    expect((await t.http.post(`${ws.base}/streams`).set(reader).send(queued)).status).toBe(403);
    expect((await t.http.post(`${ws.base}/queue/take`).set(reader).send({ limit: 1 })).status).toBe(403);
    for (const path of [ws.base, `${ws.base}/members`, `${ws.base}/limit-requests`, `${ws.base}/service-tokens`]) expect([path, (await t.http.get(path).set(reader)).status]).toEqual([path, 403]);
    for (const path of ['/v1/me', '/v1/tokens', '/v1/workspaces']) expect([path, (await t.http.get(path).set(reader)).status]).toEqual([path, 403]);
  });

  it('acts like a member with workspace:write, never above: admin routes answer 403', async () => {
    const writer = bearer((await create(ws.owner.headers, { name: 'ci', scopes: ['workspace:write'] }).expect(201)).body.token);
    await t.http.post(`${ws.base}/streams`).set(writer).send(queued).expect(201);
    expect((await t.http.post(`${ws.base}/clusters`).set(writer).send({ name: 'nope', image_version: '1.0.0' })).status).toBe(403);
    expect((await t.http.post(`${ws.base}/webhooks`).set(writer).send({ name: 'nope', url: 'https://93.184.216.34/x' })).status).toBe(403);
  });

  it('outlives the member who made it, stops at once when revoked, and is refused in any other workspace', async () => {
    const admin = await memberOf(t, ws, 'admin');
    const made = (await create(admin.headers, { name: 'left-behind', scopes: ['workspace:read'] }).expect(201)).body;
    const listed = (await t.http.get(`${ws.base}/service-tokens`).set(ws.owner.headers).expect(200)).body;
    const entry = listed.find((x: { id: string }) => x.id === made.id);
    expect(entry).toMatchObject({ name: 'left-behind', scopes: ['workspace:read'], created_by: admin.id });
    expect(JSON.stringify(listed)).not.toContain(made.token);

    await t.http.delete(`${ws.base}/members/${admin.id}`).set(ws.owner.headers).expect(204);
    await t.http.get(`${ws.base}/streams`).set(bearer(made.token)).expect(200);

    const other = await tenant(t, 'elsewhere');
    expect((await t.http.get(`${other.base}/streams`).set(bearer(made.token))).status).toBe(404);

    await t.http.delete(`${ws.base}/service-tokens/${made.id}`).set(ws.owner.headers).expect(204);
    await eventually(async () => (await t.http.get(`${ws.base}/streams`).set(bearer(made.token))).status === 401, 2_000);
    expect((await t.http.delete(`${ws.base}/service-tokens/${made.id}`).set(ws.owner.headers)).status).toBe(404);
    expect((await t.http.get(`${ws.base}/service-tokens`).set(ws.owner.headers).expect(200)).body.map((x: { id: string }) => x.id)).not.toContain(made.id);
  });

  it('is made by admins only, with known scopes and a future expiry, each refusal naming the field', async () => {
    const member = await memberOf(t, ws, 'member');
    expect((await create(member.headers, { name: 'mine', scopes: ['streams:handle'] })).status).toBe(403);
    const unknown = await create(ws.owner.headers, { name: 'x', scopes: ['streams:everything'] }).expect(400);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toContain('scopes');
    const empty = await create(ws.owner.headers, { name: 'x', scopes: [] }).expect(400);
    expect(empty.body.errors.map((e: { field: string }) => e.field)).toContain('scopes');
    const past = await create(ws.owner.headers, { name: 'x', scopes: ['workspace:read'], expires_at: '2001-01-01T00:00:00Z' }).expect(400);
    expect(past.body.errors.map((e: { field: string }) => e.field)).toEqual(['expires_at']);
  });

  it('records its making and revoking in the workspace log, without the secret', async () => {
    const made = (await create(ws.owner.headers, { name: 'audited', scopes: ['streams:handle'] }).expect(201)).body;
    await t.http.delete(`${ws.base}/service-tokens/${made.id}`).set(ws.owner.headers).expect(204);
    const events = (await t.http.get(`${ws.base}/events`).query({ limit: 1000 }).set(ws.owner.headers).expect(200)).body.items as Array<{ type: string; data: { token_id?: string } }>;
    const mine = events.filter((e) => e.data.token_id === made.id).map((e) => e.type);
    expect(mine).toEqual(['ServiceTokenCreated', 'ServiceTokenRevoked']);
    expect(JSON.stringify(events)).not.toContain(made.token);
  });
});
