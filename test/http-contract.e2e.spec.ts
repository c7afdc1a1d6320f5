import { startTestApp, TestApp, TEST_ADMIN } from './support/test-app';

describe('HTTP contract: errors, request ids, docs, platform routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('http_contract', { env: { BODY_LIMIT: '2kb' } });
  });
  afterAll(() => t.close());

  describe('bad input is a 400 problem+json naming each field', () => {
    it('names unknown fields and wrong types together', async () => {
      const res = await t.http.post('/v1/test/counters').send({ name: 42, colour: 'red' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: '/problems/validation_failed', status: 400, code: 'validation_failed', title: 'Bad Request' });
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'colour']));
      expect(res.body.errors.find((e: { field: string }) => e.field === 'colour').message).toBe('is not a known field');
    });

    it('rejects out-of-range values', async () => {
      const open = await t.http.post('/v1/test/counters').send({ name: 'a' });
      const res = await t.http.post(`/v1/test/counters/${open.body.id}/increment`).send({ by: 5000 });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'by', message: expect.stringContaining('1000') }]);
    });

    it('answers malformed JSON with a 400 naming the body', async () => {
      const res = await t.http.post('/v1/test/counters').set('Content-Type', 'application/json').send('{"name": ');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'malformed_json', errors: [{ field: 'body' }] });
    });

    it('answers a body over the limit with 413', async () => {
      const res = await t.http.post('/v1/test/counters').send({ name: 'x'.repeat(4000) });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('payload_too_large');
    });

    it('answers an unknown route with a 404 problem', async () => {
      const res = await t.http.get('/v1/nothing-here');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('answers a bad path id with 400, not 500', async () => {
      const res = await t.http.get('/v1/test/counters/not-a-uuid');
      expect(res.status).toBe(400);
      expect(res.body.status).toBe(400);
    });
  });

  describe('X-Request-Id', () => {
    it('echoes a given id and generates one otherwise', async () => {
      const given = await t.http.get('/v1/version').set('X-Request-Id', 'client-req-123');
      expect(given.headers['x-request-id']).toBe('client-req-123');
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
      const generated = await t.http.get('/v1/version');
      expect(generated.headers['x-request-id']).toMatch(uuid);
      // 128 printable characters is the longest id echoed; a longer one is replaced by a generated id.
      const longest = await t.http.get('/v1/version').set('X-Request-Id', 'x'.repeat(128));
      expect(longest.headers['x-request-id']).toBe('x'.repeat(128));
      const tooLong = await t.http.get('/v1/version').set('X-Request-Id', 'x'.repeat(129));
      expect(tooLong.headers['x-request-id']).toMatch(uuid);
    });
  });

  describe('platform routes', () => {
    it('GET /v1/health reports each dependency', async () => {
      const res = await t.http.get('/v1/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ok',
        checks: {
          postgres: { status: 'up' },
          redis: { status: 'up' },
          event_store: expect.objectContaining({ status: 'up', kind: 'postgres' }),
          projections: expect.objectContaining({ status: 'up' }),
        },
      });
    });

    it('GET /v1/version names the event store', async () => {
      const res = await t.http.get('/v1/version');
      expect(res.body).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), event_store: 'postgres' });
    });

    it('GET /v1/config is for platform admins and redacts secrets', async () => {
      expect((await t.http.get('/v1/config')).status).toBe(401);
      expect((await t.http.get('/v1/config').set('Authorization', 'Bearer wrong-token-wrong-token')).status).toBe(401);
      const res = await t.http.get('/v1/config').set(t.admin);
      expect(res.status).toBe(200);
      expect(res.body.bootstrap_admin_password).toBe('***');
      expect(JSON.stringify(res.body)).not.toContain(TEST_ADMIN.password);
      expect(res.body.database_url).toContain('/sp_test_http_contract');
    });

    it('serves the OpenAPI document as JSON and YAML, listing the routes', async () => {
      const json = await t.http.get('/docs/openapi.json');
      expect(json.status).toBe(200);
      expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/v1/health', '/v1/version', '/v1/config', '/v1/admin/projections', '/v1/test/counters']));
      expect(json.body.components.schemas.IncrementBody.properties.by).toMatchObject({ minimum: 1, maximum: 1000 });
      const yaml = await t.http.get('/docs/openapi.yaml');
      expect(yaml.status).toBe(200);
      expect(yaml.text).toContain('/v1/health:');
      expect((await t.http.get('/docs')).status).toBe(200);
    });

    it('GET /metrics exposes HTTP, command, projection and queue series', async () => {
      await t.http.post('/v1/test/counters').send({ name: 'metered' });
      const res = await t.http.get('/metrics').set(t.admin); // platform admins only (issue 9)
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/v1\/test\/counters",status="201"\} \d+/);
      expect(res.text).toMatch(/events_appended_total\{type="CounterOpened"\} [1-9]/);
      expect(res.text).toMatch(/commands_total\{stream_category="counter",outcome="ok"\} [1-9]/);
      expect(res.text).toMatch(/projection_checkpoint_position\{consumer="counters"\} [1-9]/);
      expect(res.text).toContain('queue_jobs{queue="deploys",state="waiting"} 0');
    });

    it('guards the queue dashboard', async () => {
      expect((await t.http.get('/admin/queues')).status).toBe(401);
      const res = await t.http.get('/admin/queues').set(t.admin);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<html');
    });
  });
});
