import { eventually, startTestApp, TestApp } from './support/test-app';
import { tenant, Tenant } from './support/workspaces';

/**
 * If-Match pins the version of the entity the client read. A write that also takes a unique value
 * (a routing key on its reservation stream) must check the pin against the entity only.
 */
describe('If-Match on writes that also reserve a unique value', () => {
  let t: TestApp;
  let ws: Tenant;
  let instance: string;
  beforeAll(async () => {
    t = await startTestApp('if_match');
    ws = await tenant(t, 'ifmatch');
    const cluster = await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'pinned', image_version: '1.0.0' }).expect(201);
    instance = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: cluster.body.id }).expect(202)).body.id;
    await eventually(async () => (await t.http.get(`${ws.base}/instances/${instance}`).set(ws.owner.headers)).body.status === 'running', 30_000);
  });
  afterAll(() => t.close());

  it('moves an instance to a new routing key with the version it read, and refuses a stale one', async () => {
    const read = await t.http.get(`${ws.base}/instances/${instance}`).set(ws.owner.headers).expect(200);
    const moved = await t.http.patch(`${ws.base}/instances/${instance}`).set(ws.owner.headers).set('If-Match', String(read.body.version)).send({ routing_key: 'pinned-key' });
    expect(moved.status).toBe(202);
    const after = await t.http.get(`${ws.base}/instances/${instance}`).set(ws.owner.headers).expect(200);
    expect(after.body).toMatchObject({ routing_key: 'pinned-key', version: read.body.version + 1 });

    const stale = await t.http.patch(`${ws.base}/instances/${instance}`).set(ws.owner.headers).set('If-Match', String(read.body.version)).send({ routing_key: 'stale-key' });
    expect(stale.status).toBe(409);
    // The refused change gave its key back: another instance may take it.
    const probe = await t.http.patch(`${ws.base}/instances/${instance}`).set(ws.owner.headers).send({ routing_key: 'stale-key' });
    expect(probe.status).toBe(202);
  });
});
