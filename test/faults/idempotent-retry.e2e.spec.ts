import { startTestApp, TestApp } from '../support/test-app';
import { tenant, Tenant } from '../support/workspaces';

/**
 * A process that dies after appending but before it stored the answer leaves a key whose first
 * response is unknown. The client's honest retry (same key, same request) must answer as the
 * first attempt would have, with the same entity — never create a second one.
 */
describe('Faults: a same-key retry after the answer was lost', () => {
  let t: TestApp;
  let ws: Tenant;
  beforeAll(async () => {
    t = await startTestApp('idem_retry');
    ws = await tenant(t, 'idem');
  });
  afterAll(() => t.close());

  /** What a crash between the append and storing the response leaves behind: events, no stored answer. */
  const forgetAnswer = (key: string) => t.db.pool.query('DELETE FROM idempotency_keys WHERE key = $1', [key]);

  const eventsOf = async (stream: string) => (await t.db.pool.query<{ type: string }>('SELECT type FROM events WHERE stream_id = $1 ORDER BY position', [stream])).rows.map((r) => r.type);

  it('answers a retried stream create with the stream the first attempt created', async () => {
    const body = { name: 'once-only', data: { reference: 'file:///media/a.mp4', type: 'videofile' }, event_handler: { frame_step: 10 } };
    const first = await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).set('Idempotency-Key', 'create-once').send(body).expect(201);
    const written = await eventsOf(`stream-${first.body.stream_id}`);
    expect(written[0]).toBe('StreamCreated');
    await forgetAnswer('create-once');

    const retry = await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).set('Idempotency-Key', 'create-once').send(body);
    expect(retry.status).toBe(201);
    expect(retry.body.stream_id).toBe(first.body.stream_id);
    expect(retry.body.version).toBe(first.body.version);
    expect(retry.headers['x-event-position']).toBe(first.headers['x-event-position']);

    const listed = await t.http.get(`${ws.base}/streams`).query({ names: 'once-only' }).set(ws.owner.headers).expect(200);
    expect(listed.body.total).toBe(1);
    expect(await eventsOf(`stream-${first.body.stream_id}`)).toEqual(written);
  });

  it('answers a retried group create with the same group, not a 409 for its own name', async () => {
    const first = await t.http.post(`${ws.base}/groups`).set(ws.owner.headers).set('Idempotency-Key', 'group-once').send({ group_name: 'retried' }).expect(201);
    await forgetAnswer('group-once');
    const retry = await t.http.post(`${ws.base}/groups`).set(ws.owner.headers).set('Idempotency-Key', 'group-once').send({ group_name: 'retried' });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await eventsOf(`group-${first.body.group_id}`)).toHaveLength(1);
  });

  it('a different key is a different request: a second stream', async () => {
    const body = { name: 'twice-on-purpose', data: { reference: 'file:///media/b.mp4', type: 'videofile' }, event_handler: { frame_step: 10 } };
    const a = await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).set('Idempotency-Key', 'k-a').send(body).expect(201);
    const b = await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).set('Idempotency-Key', 'k-b').send(body).expect(201);
    expect(b.body.stream_id).not.toBe(a.body.stream_id);
  });
});
