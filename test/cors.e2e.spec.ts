import { startTestApp, TestApp } from './support/test-app';
import { tenant } from './support/workspaces';

const CONSOLE = 'https://console.example.com';

describe('CORS: browser apps of the origins in CORS_ORIGINS can call the API, others cannot', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('cors', { env: { CORS_ORIGINS: `${CONSOLE},http://localhost:5173` } });
  });
  afterAll(() => t.close());

  it("answers a listed origin's preflight for a command, allowing the contract's headers", async () => {
    const res = await t.http
      .options('/v1/workspaces/00000000-0000-4000-8000-000000000000/streams')
      .set('Origin', CONSOLE)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key, if-match');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(CONSOLE);
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    const allowed = res.headers['access-control-allow-headers'].toLowerCase();
    for (const header of ['authorization', 'idempotency-key', 'if-match', 'x-min-position']) expect(allowed).toContain(header);
  });

  it('lets a listed origin read the answer and its consistency headers', async () => {
    const ws = await tenant(t, 'cors');
    const res = await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).set('Origin', CONSOLE).send({ name: 'cam', data: { reference: 'rtsp://a/b', type: 'tcp' }, event_handler: {} });
    expect(res.status).toBe(201);
    expect(res.headers['access-control-allow-origin']).toBe(CONSOLE);
    const exposed = res.headers['access-control-expose-headers'].toLowerCase();
    for (const header of ['etag', 'x-event-position', 'x-request-id', 'location']) expect(exposed).toContain(header);
  });

  it('gives another origin nothing to read with', async () => {
    const res = await t.http.get('/v1/version').set('Origin', 'https://evil.example.net');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.http.options('/v1/version').set('Origin', 'https://evil.example.net').set('Access-Control-Request-Method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
