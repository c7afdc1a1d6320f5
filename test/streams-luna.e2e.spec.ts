import { startTestApp, TestApp } from './support/test-app';
import { Tenant, tenant } from './support/workspaces';

/** A stream body as a Luna-Streams client sends it: its account and the camera's location. */
const lunaStream = (accountId: string, name: string) => ({
  account_id: accountId,
  name,
  description: '',
  data: { reference: `rtsp://cameras.local/${name}`, type: 'tcp' },
  event_handler: { bestshot_handler: { origin: 'http://luna-api/6/handlers' } },
  policies: {},
  location: { city: 'Moscow', area: 'Central', district: 'Basmanny', street: 'Podsosensky lane', house_number: '23 bldg. 3', geo_position: { longitude: 36.616, latitude: 55.752 } },
  autorestart: { restart: 1, attempt_count: 2, delay: 5 },
  status: 'pending',
});
const NO_LOCATION = { city: null, area: null, district: null, street: null, house_number: null, geo_position: null };

describe('Luna-Streams clients unchanged: account_id, location and the not_found status', () => {
  let t: TestApp;
  let ws: Tenant;
  beforeAll(async () => {
    t = await startTestApp('streams_luna');
    ws = await tenant(t, 'luna');
  });
  afterAll(() => t.close());

  const post = (path: string, body: unknown, who = ws) => t.http.post(`${who.base}${path}`).set(who.owner.headers).send(body as object);
  const get = (path: string, query: Record<string, string> = {}) => t.http.get(`${ws.base}${path}`).query(query).set(ws.owner.headers);

  it('accepts a Luna-shaped body whose account_id is the workspace, and returns its location and account_id', async () => {
    const { stream_id } = (await post('/streams', lunaStream(ws.workspaceId, 'gate')).expect(201)).body;
    const stream = (await get(`/streams/${stream_id}`).expect(200)).body;
    expect(stream).toMatchObject({ stream_id, account_id: ws.workspaceId, name: 'gate', status: 'pending', location: lunaStream(ws.workspaceId, 'gate').location });
    // The list carries it too, and a stream made without one reads every part as null.
    const plain = (await post('/streams', { data: { reference: 'file:///a.mp4' }, event_handler: {} }).expect(201)).body.stream_id;
    const listed = (await get('/streams', { stream_ids: `${stream_id},${plain}` }).expect(200)).body.items;
    expect(listed.map((s: { location: unknown }) => s.location)).toEqual([lunaStream(ws.workspaceId, 'gate').location, NO_LOCATION]);
  });

  it('PUT replaces the location whole; a partial location keeps the parts not given as null', async () => {
    const { stream_id } = (await post('/streams', lunaStream(ws.workspaceId, 'yard')).expect(201)).body;
    const moved = { ...lunaStream(ws.workspaceId, 'yard'), location: { city: 'Kazan', geo_position: { longitude: 49.1, latitude: 55.8 } } };
    expect((await t.http.put(`${ws.base}/streams/${stream_id}`).set(ws.owner.headers).send(moved).expect(200)).body).toEqual({ stream_id, version: 2 });
    expect((await get(`/streams/${stream_id}`)).body.location).toEqual({ ...NO_LOCATION, city: 'Kazan', geo_position: { longitude: 49.1, latitude: 55.8 } });
    const { location: _dropped, ...withoutLocation } = moved;
    await t.http.put(`${ws.base}/streams/${stream_id}`).set(ws.owner.headers).send(withoutLocation).expect(200);
    expect((await get(`/streams/${stream_id}`)).body.location).toEqual(NO_LOCATION);
  });

  it("refuses another account's id with a 400 naming account_id, and a bad location naming its field", async () => {
    const other = await tenant(t, 'luna-other');
    const cases: Array<[unknown, string]> = [
      [lunaStream(other.workspaceId, 'x'), 'account_id'],
      [{ ...lunaStream(ws.workspaceId, 'x'), account_id: 'not-a-uuid' }, 'account_id'],
      [{ ...lunaStream(ws.workspaceId, 'x'), location: { geo_position: { longitude: 10, latitude: 91 } } }, 'location.geo_position.latitude'],
      [{ ...lunaStream(ws.workspaceId, 'x'), location: { city: 7 } }, 'location.city'],
      [{ ...lunaStream(ws.workspaceId, 'x'), location: { planet: 'Mars' } }, 'location.planet'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/streams', body);
      expect({ field, status: res.status, type: res.headers['content-type'] }).toEqual({ field, status: 400, type: expect.stringContaining('application/problem+json') });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const { stream_id } = (await post('/streams', lunaStream(ws.workspaceId, 'put-other')).expect(201)).body;
    const put = await t.http.put(`${ws.base}/streams/${stream_id}`).set(ws.owner.headers).send(lunaStream(other.workspaceId, 'put-other'));
    expect(put.status).toBe(400);
    expect(put.body.errors).toEqual([expect.objectContaining({ field: 'account_id' })]);
  });

  it('a stream deleted while its handler holds it answers that handler not_found, and its log says not_found', async () => {
    const { stream_id } = (await post('/streams', lunaStream(ws.workspaceId, 'deleted-under-handler')).expect(201)).body;
    const taken = (await post('/queue/take', { limit: 1, filters: { stream_ids: [stream_id] } }).expect(200)).body.items;
    expect(taken.map((s: { stream_id: string }) => s.stream_id)).toEqual([stream_id]);
    await t.http.delete(`${ws.base}/streams/${stream_id}`).set(ws.owner.headers).expect(204);

    for (const status of ['in_progress', 'done', 'failure', 'restart']) {
      const [item] = (await post('/queue/feedback', { streams: [{ stream_id, status }] }).expect(200)).body.items;
      expect(item).toMatchObject({ stream_id, accepted: false, status: 'not_found' });
    }
    const logs = (await get('/streams/logs', { stream_ids: stream_id }).expect(200)).body.items;
    expect(logs.map((l: { status: string }) => l.status)).toEqual(['pending', 'in_progress', 'not_found']);
    expect((await get('/streams/logs', { statuses: 'not_found', stream_ids: stream_id })).body.total).toBe(1);
    // No stream is ever read in it: the filter is accepted and finds none.
    expect((await get('/streams', { statuses: 'not_found' }).expect(200)).body.total).toBe(0);
    expect((await get('/streams/count', { statuses: 'not_found' }).expect(200)).body).toEqual({ count: 0 });
    await get(`/streams/${stream_id}`).expect(404);
  });

  it('a stream deleted while waiting logs no not_found; feedback on it, or on another workspace’s stream, is not_found', async () => {
    const { stream_id } = (await post('/streams', lunaStream(ws.workspaceId, 'deleted-waiting')).expect(201)).body;
    await t.http.delete(`${ws.base}/streams/${stream_id}`).set(ws.owner.headers).expect(204);
    expect((await get('/streams/logs', { stream_ids: stream_id })).body.items.map((l: { status: string }) => l.status)).toEqual(['pending']);
    const other = await tenant(t, 'luna-feedback');
    const foreign = (await post('/streams', lunaStream(other.workspaceId, 'theirs'), other).expect(201)).body.stream_id;
    const items = (await post('/queue/feedback', { streams: [{ stream_id, status: 'in_progress' }, { stream_id: foreign, status: 'done' }] }).expect(200)).body.items;
    expect(items).toEqual([expect.objectContaining({ stream_id, status: 'not_found' }), expect.objectContaining({ stream_id: foreign, status: 'not_found' })]);
    expect((await t.http.get(`${other.base}/streams/${foreign}`).set(other.owner.headers)).body.status).toBe('pending');
  });
});
