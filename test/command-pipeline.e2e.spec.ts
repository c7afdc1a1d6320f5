import { startTestApp, TestApp } from './support/test-app';

describe('Command pipeline through HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('commands', { env: { MIN_POSITION_TIMEOUT_MS: '300' } });
  });
  afterAll(() => t.close());

  const open = (name = 'c', headers: Record<string, string> = {}) => t.http.post('/v1/test/counters').set(headers).send({ name });
  const storedEvents = async (counterId: string) =>
    (await t.db.pool.query('SELECT type, event_id, metadata FROM events WHERE stream_id = $1 ORDER BY revision', [`counter-${counterId}`])).rows;

  it('answers a command with its log position only once the read model holds it', async () => {
    const created = await open('fresh');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), version: 1 });
    expect(created.headers['x-event-position']).toMatch(/^\d+$/);
    // No waiting, no retry: read-your-writes.
    const read = await t.http.get(`/v1/test/counters/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: 'fresh', total: 0, status: 'open', version: 1 });
    const inc = await t.http.post(`/v1/test/counters/${created.body.id}/increment`).send({ by: 5 });
    expect(BigInt(inc.headers['x-event-position'])).toBeGreaterThan(BigInt(created.headers['x-event-position']));
    expect((await t.http.get(`/v1/test/counters/${created.body.id}`)).body.total).toBe(5);
  });

  it('writes the envelope metadata on every event', async () => {
    const created = await open('meta', { 'X-Request-Id': 'req-meta-1' });
    const [opened] = await storedEvents(created.body.id);
    expect(opened.type).toBe('CounterOpened');
    expect(opened.metadata).toEqual({
      event_version: 2, // the catalogue's current version of CounterOpened
      actor: { type: 'user', id: 'anonymous' },
      // The client's id is the request_id; the correlation id is the server's (API.md, Conventions).
      request_id: 'req-meta-1',
      $correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      $causationId: opened.metadata.$correlationId,
      occurred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      workspace_id: 'test',
    });
  });

  it('If-Match pins the version: a stale one is a 409', async () => {
    const { body } = await open();
    const ok = await t.http.post(`/v1/test/counters/${body.id}/increment`).set('If-Match', '1').send({ by: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);
    const stale = await t.http.post(`/v1/test/counters/${body.id}/increment`).set('If-Match', '"1"').send({ by: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'conflict', detail: expect.stringContaining('version is 2') });
    const bad = await t.http.post(`/v1/test/counters/${body.id}/increment`).set('If-Match', 'abc').send({ by: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'If-Match', message: expect.any(String) }]);
  });

  it('retries on a concurrent writer instead of failing: 20 parallel increments all count', async () => {
    const { body } = await open();
    const results = await Promise.all(Array.from({ length: 20 }, () => t.http.post(`/v1/test/counters/${body.id}/increment`).send({ by: 1 })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const read = await t.http.get(`/v1/test/counters/${body.id}`);
    expect(read.body).toMatchObject({ total: 20, version: 21 });
  });

  it('maps domain errors: 400 for a forbidden transition, 404 for an unknown entity', async () => {
    const { body } = await open();
    expect((await t.http.post(`/v1/test/counters/${body.id}/close`)).status).toBe(202);
    const closed = await t.http.post(`/v1/test/counters/${body.id}/increment`).send({ by: 1 });
    expect(closed.status).toBe(400);
    // The archiver reactor may already have archived it: either way the state forbids it.
    expect(closed.body).toMatchObject({ code: 'invalid_state', detail: expect.stringMatching(/^a (closed|archived) counter cannot be incremented$/) });
    const missing = await t.http.post('/v1/test/counters/7d9f0e1c-1111-4222-8333-944455556666/increment').send({ by: 1 });
    expect(missing.status).toBe(404);
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same request and appends once', async () => {
      const first = await open('idem', { 'Idempotency-Key': 'key-1' });
      const again = await open('idem', { 'Idempotency-Key': 'key-1' });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers['x-event-position']).toBe(first.headers['x-event-position']);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const events = await storedEvents(first.body.id);
      expect(events).toHaveLength(1);
      expect(events[0].metadata.idempotency_key).toBe('key-1');
      const opened = await t.db.pool.query(`SELECT count(*)::int AS n FROM events WHERE metadata->>'idempotency_key' = 'key-1'`);
      expect(opened.rows[0].n).toBe(1);
    });

    it('answers 422 when the key comes back with a different request', async () => {
      await open('one', { 'Idempotency-Key': 'key-2' });
      const other = await open('two', { 'Idempotency-Key': 'key-2' });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('idempotency_key_reused');
    });

    it('derives event ids from the key, so a retried command cannot append twice', async () => {
      const { body } = await open();
      const path = `/v1/test/counters/${body.id}/increment`;
      const first = await t.http.post(path).set('Idempotency-Key', 'inc-1').send({ by: 2 });
      // Forget the stored response, as if the first answer was lost with its process.
      await t.db.pool.query(`DELETE FROM idempotency_keys WHERE key = 'inc-1'`);
      const retried = await t.http.post(path).set('Idempotency-Key', 'inc-1').send({ by: 2 });
      expect(first.status).toBe(200);
      // The retry answers what the lost response said: the same status, body, version and position.
      expect(retried.status).toBe(200);
      expect(retried.body).toEqual(first.body);
      expect(retried.body).toMatchObject({ id: body.id, version: 2 });
      expect(retried.headers.etag).toBe(first.headers.etag);
      expect(retried.headers['x-event-position']).toBe(first.headers['x-event-position']);
      expect((await storedEvents(body.id)).filter((e) => e.type === 'CounterIncremented')).toHaveLength(1);
      expect((await t.http.get(`/v1/test/counters/${body.id}`)).body.total).toBe(2);
    });
  });

  describe('X-Min-Position', () => {
    it('waits for a position the read model has reached and answers at once', async () => {
      const created = await open();
      const read = await t.http.get(`/v1/test/counters/${created.body.id}`).set('X-Min-Position', created.headers['x-event-position']);
      expect(read.status).toBe(200);
      expect(read.headers['x-consistency']).toBeUndefined();
    });

    it('a position above the log head was never written: it answers at once and says the answer may be stale', async () => {
      const created = await open();
      const far = (BigInt(created.headers['x-event-position']) * 1000n).toString();
      const read = await t.http.get(`/v1/test/counters/${created.body.id}`).set('X-Min-Position', far);
      expect(read.status).toBe(200);
      expect(read.headers['x-consistency']).toBe('stale');
    });

    it('rejects a malformed position naming the header', async () => {
      const res = await t.http.get('/v1/version').set('X-Min-Position', '-5');
      // /v1/version has no read models to wait for, but the header is still checked.
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'X-Min-Position', message: expect.any(String) }]);
    });
  });
});
