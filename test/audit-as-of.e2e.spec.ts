import { eventually, startTestApp, TestApp } from './support/test-app';
import { tenant, Tenant } from './support/workspaces';

describe('Audit time travel: streams, groups, clusters, instances and webhooks as they were at a past position or time', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let streamId: string;
  let created: { position: string; occurred_at: string };
  let updated: { position: string; occurred_at: string };
  const read = (ws: Tenant, query: Record<string, string> = {}, id = streamId) => t.http.get(`${ws.base}/streams/${id}`).query(query).set(ws.owner.headers);

  beforeAll(async () => {
    t = await startTestApp('audit_as_of');
    [a, b] = [await tenant(t, 'as-of-a'), await tenant(t, 'as-of-b')];
    streamId = (await t.http.post(`${a.base}/streams`).set(a.owner.headers).send({ name: 'cam', description: 'first', data: { reference: 'file:///cam.mp4' }, event_handler: {} }).expect(201)).body.stream_id;
    await t.http.patch(`${a.base}/streams/${streamId}`).set(a.owner.headers).send({ description: 'second' }).expect(200);
    const history = (await t.http.get(`${a.base}/streams/${streamId}/history`).set(a.owner.headers).expect(200)).body.items;
    [created, updated] = history;
  });
  afterAll(() => t.close());

  it('answers the stream as it was at a position, in the live read’s shape, and leaves the live read as it is', async () => {
    const live = (await read(a).expect(200)).body;
    expect(live.description).toBe('second');
    const then = (await read(a, { as_of_position: created.position }).expect(200)).body;
    expect(Object.keys(then).sort()).toEqual(Object.keys(live).sort());
    expect(then).toMatchObject({ stream_id: streamId, name: 'cam', description: 'first', version: 1 });
    expect((await read(a, { as_of_position: updated.position }).expect(200)).body).toMatchObject({ description: 'second', version: 2 });
    expect((await read(a).expect(200)).body).toEqual(live);
  });

  it('answers by time too, and 404 before the stream existed', async () => {
    expect((await read(a, { as_of: created.occurred_at }).expect(200)).body.description).toBe('first');
    expect((await read(a, { as_of: '2000-01-01T00:00:00Z' }).expect(404)).body.code).toBe('not_found');
    expect((await read(a, { as_of_position: String(BigInt(created.position) - 1n) }).expect(404)).body.code).toBe('not_found');
  });

  it('answers a group as it was, with the same fields as its live read', async () => {
    const groupId = (await t.http.post(`${a.base}/groups`).set(a.owner.headers).send({ group_name: 'lobby', description: 'before' }).expect(201)).body.group_id;
    await t.http.patch(`${a.base}/groups/${groupId}`).set(a.owner.headers).send({ description: 'after' }).expect(200);
    const [made] = (await t.http.get(`${a.base}/groups/${groupId}/history`).set(a.owner.headers).expect(200)).body.items;
    const group = (query: Record<string, string>) => t.http.get(`${a.base}/groups/${groupId}`).query(query).set(a.owner.headers);
    const live = (await group({}).expect(200)).body;
    const then = (await group({ as_of_position: made.position }).expect(200)).body;
    expect(Object.keys(then).sort()).toEqual(Object.keys(live).sort());
    expect([then.description, live.description]).toEqual(['before', 'after']);
    expect((await group({ as_of: '2000-01-01T00:00:00Z' }).expect(404)).body.code).toBe('not_found');
    await t.http.get(`${b.base}/groups/${groupId}`).query({ as_of_position: made.position }).set(b.owner.headers).expect(404);
  });

  it.each([
    ['clusters', { name: 'before', image_version: '1.0.0' }],
    ['webhooks', { name: 'before', url: 'https://93.184.216.34/hook', is_enabled: false }],
  ])('answers one of the %s as it was, in its live shape', async (collection, body) => {
    const id = (await t.http.post(`${a.base}/${collection}`).set(a.owner.headers).send(body).expect(201)).body.id;
    await t.http.patch(`${a.base}/${collection}/${id}`).set(a.owner.headers).send({ name: 'after' }).expect(200);
    const [made] = (await t.http.get(`${a.base}/${collection}/${id}/history`).set(a.owner.headers).expect(200)).body.items;
    const entity = (ws: Tenant, query: Record<string, string>) => t.http.get(`${ws.base}/${collection}/${id}`).query(query).set(ws.owner.headers);
    const live = (await entity(a, {}).expect(200)).body;
    const then = (await entity(a, { as_of_position: made.position }).expect(200)).body;
    expect(Object.keys(then).sort()).toEqual(Object.keys(live).sort());
    expect([then.name, then.version, live.name]).toEqual(['before', 1, 'after']);
    expect((await entity(a, { as_of: made.occurred_at }).expect(200)).body.name).toBe('before');
    await entity(a, { as_of: '2000-01-01T00:00:00Z' }).expect(404);
    await entity(b, { as_of_position: made.position }).expect(404);
    await entity(a, { as_of_position: 'x' }).expect(400);
  });

  it('answers an instance as it was while pending, before its deploy job brought it up', async () => {
    const cluster = (await t.http.post(`${a.base}/clusters`).set(a.owner.headers).send({ name: 'fleet', image_version: '1.0.0' }).expect(201)).body.id;
    const id = (await t.http.post(`${a.base}/instances`).set(a.owner.headers).send({ cluster_id: cluster }).expect(202)).body.id;
    const instance = (query: Record<string, string>) => t.http.get(`${a.base}/instances/${id}`).query(query).set(a.owner.headers);
    const live = await eventually(async () => {
      const body = (await instance({}).expect(200)).body;
      return body.status === 'running' && body;
    }, 45_000);
    const [requested] = (await t.http.get(`${a.base}/instances/${id}/history`).set(a.owner.headers).expect(200)).body.items;
    expect(requested.type).toBe('InstanceRequested');
    const then = (await instance({ as_of_position: requested.position }).expect(200)).body;
    expect(Object.keys(then).sort()).toEqual(Object.keys(live).sort());
    expect([then.status, then.endpoint, then.version]).toEqual(['pending', null, 1]);
    await t.http.get(`${b.base}/instances/${id}`).query({ as_of_position: requested.position }).set(b.owner.headers).expect(404);
  }, 60_000);

  it('answers 404 to another workspace and 400 naming an unparsable or doubled point', async () => {
    await read(b, { as_of_position: updated.position }).expect(404);
    for (const [query, field] of [
      [{ as_of: 'yesterday' }, 'as_of'],
      [{ as_of_position: '-3' }, 'as_of_position'],
      [{ as_of: created.occurred_at, as_of_position: created.position }, 'as_of_position'],
    ] as const) {
      const res = await read(a, query).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});
