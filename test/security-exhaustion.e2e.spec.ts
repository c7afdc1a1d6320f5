import { startTestApp, TestApp } from './support/test-app';
import { Tenant, tenant } from './support/workspaces';

/** Issue 9, item 8: requests cannot make the server do unbounded work or hold them for long. */
describe('Resource exhaustion', () => {
  let t: TestApp;
  let ws: Tenant;
  beforeAll(async () => {
    // A long wait bound: a request that waited for it would fail the test by its own timeout.
    t = await startTestApp('exhaustion', { env: { MIN_POSITION_TIMEOUT_MS: '60000' } });
    ws = await tenant(t, 'exhaustion');
  });
  afterAll(() => t.close());

  const stream = (extra: Record<string, unknown> = {}) => ({ data: { reference: 'file:///tmp/a.mp4' }, event_handler: {}, status: 'pause', ...extra });

  describe('bulk delete', () => {
    it('refuses an empty name, which would match every unnamed stream', async () => {
      await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).send(stream()).expect(201);
      const res = await t.http.delete(`${ws.base}/streams`).set(ws.owner.headers).send({ names: [''] });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'names', message: expect.stringContaining('non-empty') }]);
      expect((await t.http.get(`${ws.base}/streams/count`).set(ws.owner.headers)).body.count).toBe(1);
    });

    it('refuses to delete more than 1000 matches, deleting none', async () => {
      const created = await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).send(stream({ name: 'many' })).expect(201);
      // Setup shortcut: 1000 more read-model rows with the same name (1001 creates over HTTP take minutes on a small machine).
      await t.db.pool.query(
        `INSERT INTO read.streams SELECT (jsonb_populate_record(NULL::read.streams, to_jsonb(s) || jsonb_build_object('id', gen_random_uuid()))).*
           FROM read.streams s, generate_series(1, 1000) WHERE s.id = $1`,
        [created.body.stream_id],
      );
      const res = await t.http.delete(`${ws.base}/streams`).set(ws.owner.headers).send({ names: ['many'] });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'names', message: expect.stringContaining('more than 1000') }]);
      expect((await t.http.get(`${ws.base}/streams/${created.body.stream_id}`).set(ws.owner.headers)).status).toBe(200);
    });
  });

  it('an X-Min-Position above the log head answers at once (stale), even anonymous health', async () => {
    const res = await t.http.get('/v1/health').set('X-Min-Position', '9223372036854775807');
    expect([200, 503]).toContain(res.status);
    expect(res.headers['x-consistency']).toBe('stale');
  }, 15_000);

  it('bounds data, event_handler and policies to 64 KB of JSON each', async () => {
    const big = 'x'.repeat(64 * 1024);
    const tooBigData = await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).send(stream({ data: { reference: 'file:///tmp/a.mp4', blob: big } }));
    expect(tooBigData.status).toBe(400);
    expect(tooBigData.body.errors).toEqual([{ field: 'data', message: expect.stringContaining('65536 bytes') }]);
    const tooBigHandler = await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).send(stream({ event_handler: { blob: big } }));
    expect(tooBigHandler.status).toBe(400);
    expect(tooBigHandler.body.errors).toEqual([{ field: 'event_handler', message: expect.any(String) }]);
    const justFits = await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).send(stream({ event_handler: { blob: 'x'.repeat(60 * 1024) } }));
    expect(justFits.status).toBe(201);
  });
});
