import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { memberOf, tenant } from './support/workspaces';
import { mediaNodes } from './support/media-nodes';

const SECRET = `s3cret-${randomBytes(6).toString('hex')}`;
const TOKEN = `cluster-token-${randomBytes(6).toString('hex')}`;
const MASTER = randomBytes(32);

/** The environment the media node process really got (Linux). */
function processEnv(pid: number): Record<string, string> {
  const raw = readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(raw.split('\0').filter(Boolean).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

/** Security issue 9, item 5 (fleet): secret env values and cluster tokens are not readable at rest. */
describe('Fleet secrets at rest', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('fleet_secrets', { env: { SECRETS_MASTER_KEY: MASTER.toString('base64') } });
  });
  afterAll(() => t.close()); // stops every instance it started

  /** Everything the database holds in text: the log, read models, stored answers, keys. */
  const everywhere = async () => {
    const { rows } = await t.db.pool.query<{ text: string }>(
      `SELECT string_agg(x, E'\\n') AS text FROM (
         SELECT data::text || metadata::text AS x FROM events
         UNION ALL SELECT row_to_json(i)::text FROM read.instances i
         UNION ALL SELECT row_to_json(c)::text FROM read.clusters c
         UNION ALL SELECT coalesce(response_body::text, '') FROM idempotency_keys
         UNION ALL SELECT row_to_json(k)::text FROM fleet_data_keys k) all_text`,
    );
    return rows[0].text ?? '';
  };

  it('a secret env value is write-only over HTTP, sealed in the log, and reaches only the media node', async () => {
    const ws = await tenant(t, 'env-secrets');
    const viewer = await memberOf(t, ws, 'viewer');
    const cluster = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'c', image_version: '1.0.0' }).expect(201)).body.id;
    const id = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: cluster }).expect(202)).body.id;
    const get = async () => (await t.http.get(`${ws.base}/instances/${id}`).set(ws.owner.headers).expect(200)).body;
    await eventually(async () => (await get()).status === 'running', 30_000);

    const put = await t.http
      .put(`${ws.base}/instances/${id}/env`)
      .set(ws.owner.headers)
      .set('Idempotency-Key', 'env-1')
      .send({ envs: { PLAIN: 'visible', API_KEY: { value: SECRET, secret: true }, NOT_SECRET: { value: 'also-visible', secret: false } }, restart: true })
      .expect(200);
    const shown = { PLAIN: 'visible', NOT_SECRET: 'also-visible', API_KEY: { secret: true, value: null } };
    expect(put.body).toEqual({ envs: shown });
    // Readable by no role: the owner and a viewer see the same.
    expect((await t.http.get(`${ws.base}/instances/${id}/env`).set(ws.owner.headers).expect(200)).body).toEqual({ envs: shown });
    expect((await t.http.get(`${ws.base}/instances/${id}/env`).set(viewer.headers).expect(200)).body).toEqual({ envs: shown });
    expect(JSON.stringify((await t.http.get(`${ws.base}/instances/${id}`).set(viewer.headers)).body)).not.toContain(SECRET);

    // The restart gives the running process the value in clear; nothing else holds it.
    await eventually(async () => {
      const now = await get();
      return now.version >= 7 && now.status === 'running'; // env changed, restart requested, provisioning started, provisioned
    }, 30_000);
    const [pid, ...more] = mediaNodes(id);
    expect(more).toHaveLength(0);
    expect(processEnv(pid)).toMatchObject({ PLAIN: 'visible', NOT_SECRET: 'also-visible', API_KEY: SECRET });
    const stored = await everywhere();
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(Buffer.from(SECRET).toString('base64'));
    const changed = (await t.db.pool.query(`SELECT data FROM events WHERE stream_id = $1 AND type = 'InstanceEnvChanged'`, [`instance-${id}`])).rows[0].data;
    expect(changed).toMatchObject({ set: { PLAIN: 'visible', NOT_SECRET: 'also-visible' }, sealed: { API_KEY: expect.stringMatching(/^sealed:v1:/) } });
    expect(Object.keys(changed.set)).not.toContain('API_KEY');
    // The data key is itself sealed, under SECRETS_MASTER_KEY, which is nowhere in the database.
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM fleet_master_key`)).rows[0].n).toBe(0);
    expect(stored).not.toContain(MASTER.toString('base64'));
    expect(stored).not.toContain(MASTER.toString('hex'));

    // Made plain again, it is readable again (the member chose so); unset, it is gone.
    await t.http.put(`${ws.base}/instances/${id}/env`).set(ws.owner.headers).send({ envs: { API_KEY: 'now-plain' } }).expect(200, { envs: { ...shown, API_KEY: 'now-plain' } });
    await t.http.delete(`${ws.base}/instances/${id}/env?names=API_KEY`).set(ws.owner.headers).expect(200, { envs: { PLAIN: 'visible', NOT_SECRET: 'also-visible' } });
  });

  it('refuses malformed secret values (400 naming the field)', async () => {
    const ws = await tenant(t, 'env-bad');
    const cluster = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'c', image_version: '1.0.0' }).expect(201)).body.id;
    const id = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: cluster }).expect(202)).body.id;
    await eventually(async () => (await t.http.get(`${ws.base}/instances/${id}`).set(ws.owner.headers)).body.status === 'running', 30_000);
    for (const value of [{ secret: true }, { value: 1, secret: true }, { value: 'x', secret: 'yes' }, { value: 'x', extra: 1 }, { value: 'x'.repeat(4097), secret: true }]) {
      const res = await t.http.put(`${ws.base}/instances/${id}/env`).set(ws.owner.headers).send({ envs: { A: value } }).expect(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'envs' })]));
    }
    const reserved = await t.http.put(`${ws.base}/instances/${id}/env`).set(ws.owner.headers).send({ envs: { NODE_OPTIONS: { value: '--inspect', secret: true } } }).expect(400);
    expect(reserved.body.errors).toEqual([expect.objectContaining({ field: 'envs.NODE_OPTIONS' })]);
  });

  it('a cluster token is a credential: the log keeps its SHA-256, no answer or read model shows it', async () => {
    const ws = await tenant(t, 'token');
    const created = await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).set('Idempotency-Key', 'cluster-1').send({ name: 'c', image_version: '1.0.0', token: TOKEN }).expect(201);
    expect(created.body).toMatchObject({ token_set: true });
    expect(created.body).not.toHaveProperty('token');
    const id = created.body.id;
    // An honest retry still finds its cluster (nothing secret was stored with the answer).
    expect((await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).set('Idempotency-Key', 'cluster-1').send({ name: 'c', image_version: '1.0.0', token: TOKEN }).expect(201)).body.id).toBe(id);
    expect((await t.http.get(`${ws.base}/clusters/${id}`).set(ws.owner.headers).expect(200)).body).toMatchObject({ token_set: true });

    const events = (await t.db.pool.query(`SELECT type, data, metadata FROM events WHERE stream_id = $1 ORDER BY position`, [`cluster-${id}`])).rows;
    expect(events[0]).toMatchObject({ type: 'ClusterCreated', data: { token_sha256: createHash('sha256').update(TOKEN).digest('hex') }, metadata: { event_version: 2 } });
    expect(events[0].data).not.toHaveProperty('token');
    expect(await everywhere()).not.toContain(TOKEN);

    const cleared = await t.http.patch(`${ws.base}/clusters/${id}`).set(ws.owner.headers).send({ token: null }).expect(200);
    expect(cleared.body).toMatchObject({ token_set: false });
    const reset = await t.http.patch(`${ws.base}/clusters/${id}`).set(ws.owner.headers).send({ token: `${TOKEN}-2` }).expect(200);
    expect(reset.body).toMatchObject({ token_set: true });
    expect(await everywhere()).not.toContain(`${TOKEN}-2`);
  });
});
