import { startTestApp, TestApp } from './support/test-app';
import { memberOf, Tenant, tenant } from './support/workspaces';

const source = (name: string) => ({ name, data: { reference: `file:///media/${name}.mp4`, type: 'videofile' }, event_handler: { frame_step: 10 } });

describe('Streams through HTTP: create, read, filter, change, delete, logs, groups', () => {
  let t: TestApp;
  let ws: Tenant;
  beforeAll(async () => {
    t = await startTestApp('streams');
    ws = await tenant(t, 'streams');
  });
  afterAll(() => t.close());

  const post = (path: string, body: unknown) => t.http.post(`${ws.base}${path}`).set(ws.owner.headers).send(body as object);
  const get = (path: string, query: Record<string, string> = {}) => t.http.get(`${ws.base}${path}`).query(query).set(ws.owner.headers);

  describe('streams', () => {
    it('creates a pending stream (queued) and reads it back whole', async () => {
      const res = await post('/streams', { ...source('lobby'), description: 'front door', autorestart: { restart: 1, attempt_count: 3, delay: 5 } }).expect(201);
      // One write, one event: a new stream is version 1, queued or not.
      expect(res.body).toEqual({ stream_id: expect.any(String), version: 1 });
      expect(res.headers.etag).toBe('"1"');
      expect(res.headers['x-event-position']).toMatch(/^\d+$/);
      const read = await get(`/streams/${res.body.stream_id}`).expect(200);
      expect(read.headers.etag).toBe('"1"');
      const stream = read.body;
      expect(stream).toMatchObject({
        stream_id: res.body.stream_id,
        name: 'lobby',
        description: 'front door',
        data: { reference: 'file:///media/lobby.mp4', type: 'videofile' },
        event_handler: { frame_step: 10 },
        policies: {},
        autorestart: { restart: 1, attempt_count: 3, delay: 5, current_attempt: 0, last_attempt_time: null },
        status: 'pending',
        version: 1,
        last_error: null,
        video_info: null,
        groups: [],
      });
      expect(new Date(stream.create_time).toISOString()).toBe(stream.create_time);
    });

    it('creates a paused stream without queueing it', async () => {
      const { stream_id } = (await post('/streams', { ...source('paused-cam'), status: 'pause' }).expect(201)).body;
      expect((await get(`/streams/${stream_id}`)).body).toMatchObject({ status: 'pause', version: 1 });
      const queue = (await get('/queue', { limit: '1000' })).body.items.map((s: { stream_id: string }) => s.stream_id);
      expect(queue).not.toContain(stream_id);
    });

    it('rejects bad bodies naming the field, and unknown fields', async () => {
      const cases: Array<[unknown, string]> = [
        [{ ...source('x'), name: 'n'.repeat(129) }, 'name'],
        [{ ...source('x'), data: { type: 'videofile' } }, 'data'],
        [{ ...source('x'), data: { reference: 'file:///a', type: 'dvd' } }, 'data'],
        [{ name: 'x', data: { reference: 'file:///a' } }, 'event_handler'],
        [{ ...source('x'), status: 'done' }, 'status'],
        [{ ...source('x'), autorestart: { restart: 2 } }, 'autorestart.restart'],
        [{ ...source('x'), group_name: 'no spaces allowed' }, 'group_name'],
        [{ ...source('x'), colour: 'red' }, 'colour'],
        [{ ...source('x'), group_name: 'no-such-group' }, 'group_name'],
      ];
      for (const [body, field] of cases) {
        const res = await post('/streams', body);
        expect({ field, status: res.status, type: res.headers['content-type'] }).toEqual({ field, status: 400, type: expect.stringContaining('application/problem+json') });
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });

    it('lists oldest first with every filter and paging, and counts with the same filters', async () => {
      const ids: string[] = [];
      for (const name of ['f-a', 'f-b', 'f-c']) ids.push((await post('/streams', source(name)).expect(201)).body.stream_id);
      await t.http.patch(`${ws.base}/streams/${ids[1]}`).set(ws.owner.headers).send({ status: 'pause' }).expect(200);
      const names = { names: 'f-a,f-b,f-c' };

      const all = (await get('/streams', names).expect(200)).body;
      expect(all).toMatchObject({ page: 1, page_size: 20, total: 3 });
      expect(all.items.map((s: { name: string }) => s.name)).toEqual(['f-a', 'f-b', 'f-c']);
      const paged = (await get('/streams', { ...names, page: '2', page_size: '2' })).body;
      expect(paged).toMatchObject({ page: 2, page_size: 2, total: 3 });
      expect(paged.items.map((s: { name: string }) => s.name)).toEqual(['f-c']);

      expect((await get('/streams', { ...names, statuses: 'pause' })).body.items.map((s: { stream_id: string }) => s.stream_id)).toEqual([ids[1]]);
      expect((await get('/streams', { stream_ids: `${ids[0]},${ids[2]}` })).body.total).toBe(2);
      expect((await get('/streams', { reference: 'file:///media/f-c.mp4' })).body.items.map((s: { name: string }) => s.name)).toEqual(['f-c']);
      const created = all.items[1].create_time;
      expect((await get('/streams', { ...names, create_time__gte: created })).body.total).toBe(2);
      expect((await get('/streams', { ...names, create_time__lt: created })).body.total).toBe(1);
      expect((await get('/streams/count', { ...names, statuses: 'pending,pause' })).body).toEqual({ count: 3 });
      expect((await get('/streams/count', { ...names, statuses: 'done' })).body).toEqual({ count: 0 });

      for (const [query, field] of [
        [{ statuses: 'pending,nope' }, 'statuses'],
        [{ stream_ids: 'not-a-uuid' }, 'stream_ids'],
        [{ page_size: '101' }, 'page_size'],
        [{ create_time__gte: 'yesterday' }, 'create_time__gte'],
      ] as const) {
        const res = await get('/streams', query);
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });

    it('PATCH changes description and status; a transition the status forbids is 400; an empty patch is 400', async () => {
      const { stream_id } = (await post('/streams', source('patchy')).expect(201)).body;
      const patch = (body: object) => t.http.patch(`${ws.base}/streams/${stream_id}`).set(ws.owner.headers).send(body);
      expect((await patch({ description: 'renamed' }).expect(200)).body).toEqual({ stream_id, version: 2 });
      expect((await patch({ status: 'pause' }).expect(200)).body.version).toBe(3);
      expect((await patch({ status: 'pause' })).status).toBe(400);
      expect((await patch({ status: 'pending' }).expect(200)).body.version).toBe(4);
      expect((await patch({ status: 'cancel' }).expect(200)).body.version).toBe(5);
      const stale = await patch({ status: 'pause' });
      expect(stale.status).toBe(400);
      expect(stale.body.detail).toMatch(/cancel/);
      expect((await patch({})).status).toBe(400);
      expect((await patch({ status: 'done' })).status).toBe(400);
      const read = await get(`/streams/${stream_id}`);
      expect(read.body).toMatchObject({ description: 'renamed', status: 'cancel', version: 5 });
      // If-Match pins the version: a stale one is a 409; the ETag a read answered, sent back as is, passes.
      expect((await patch({ description: 'x' }).set('If-Match', '3')).status).toBe(409);
      const pinned = await patch({ description: 'y' }).set('If-Match', read.headers.etag).expect(200);
      expect(pinned.body.version).toBe(6);
      expect(pinned.headers.etag).toBe('"6"');
      expect((await patch({ description: 'z' }).set('If-Match', read.headers.etag)).status).toBe(409);
    });

    it('PUT replaces the whole stream, version + 1, and queues it again', async () => {
      const { stream_id } = (await post('/streams', { ...source('put-me'), status: 'pause' }).expect(201)).body;
      const res = await t.http.put(`${ws.base}/streams/${stream_id}`).set(ws.owner.headers).send({ ...source('put-you'), description: 'new', policies: { fps: 5 } }).expect(200);
      expect(res.body).toEqual({ stream_id, version: 2 });
      expect((await get(`/streams/${stream_id}`)).body.version).toBe(2);
      expect((await get(`/streams/${stream_id}`)).body).toMatchObject({ name: 'put-you', description: 'new', policies: { fps: 5 }, status: 'pending', data: { reference: 'file:///media/put-you.mp4' } });
      expect((await t.http.put(`${ws.base}/streams/${stream_id}`).set(ws.owner.headers).send({ name: 'no-data' })).status).toBe(400);
    });

    it('DELETE removes one stream (then 404); bulk DELETE by ids or names answers how many', async () => {
      const one = (await post('/streams', source('del-1')).expect(201)).body.stream_id;
      await t.http.delete(`${ws.base}/streams/${one}`).set(ws.owner.headers).expect(204);
      expect((await get(`/streams/${one}`)).status).toBe(404);
      expect((await t.http.delete(`${ws.base}/streams/${one}`).set(ws.owner.headers)).status).toBe(404);

      const a = (await post('/streams', source('bulk-a')).expect(201)).body.stream_id;
      await post('/streams', source('bulk-b')).expect(201);
      await post('/streams', source('bulk-c')).expect(201);
      const res = await t.http.delete(`${ws.base}/streams`).set(ws.owner.headers).send({ stream_ids: [a], names: ['bulk-b', 'bulk-a'] }).expect(200);
      expect(res.body).toEqual({ deleted: 2 });
      expect((await get('/streams/count', { names: 'bulk-a,bulk-b,bulk-c' })).body.count).toBe(1);
      expect((await t.http.delete(`${ws.base}/streams`).set(ws.owner.headers).send({})).status).toBe(400);
      expect((await t.http.delete(`${ws.base}/streams`).set(ws.owner.headers).send({ stream_ids: Array.from({ length: 1001 }, () => a) })).status).toBe(400);
    });

    it("hides another workspace's streams (404) and lets a viewer read but not write (403)", async () => {
      const { stream_id } = (await post('/streams', source('private')).expect(201)).body;
      const other = await tenant(t, 'other');
      expect((await t.http.get(`${other.base}/streams/${stream_id}`).set(other.owner.headers)).status).toBe(404);
      expect((await t.http.patch(`${other.base}/streams/${stream_id}`).set(other.owner.headers).send({ description: 'mine now' })).status).toBe(404);
      expect((await t.http.delete(`${other.base}/streams/${stream_id}`).set(other.owner.headers)).status).toBe(404);
      expect((await t.http.get(`${other.base}/streams`).query({ stream_ids: stream_id }).set(other.owner.headers)).body.total).toBe(0);

      const viewer = await memberOf(t, ws, 'viewer');
      expect((await t.http.get(`${ws.base}/streams/${stream_id}`).set(viewer.headers)).status).toBe(200);
      expect((await t.http.post(`${ws.base}/streams`).set(viewer.headers).send(source('nope'))).status).toBe(403);
    });
  });

  describe('groups', () => {
    it('creates groups with unique names, lists, counts and gets them with stream_count', async () => {
      const g = (await post('/groups', { group_name: 'cams_1', description: 'ground floor' }).expect(201)).body;
      expect(g).toEqual({ group_id: expect.any(String), group_name: 'cams_1' });
      expect((await post('/groups', { group_name: 'cams_1' })).status).toBe(409);
      expect((await post('/groups', { group_name: 'bad name!' })).status).toBe(400);
      await post('/groups', { group_name: 'cams_2' }).expect(201);

      const listed = (await get('/groups', { group_names: 'cams_1,cams_2' }).expect(200)).body;
      expect(listed.total).toBe(2);
      expect(listed.items.map((x: { group_name: string }) => x.group_name)).toEqual(['cams_1', 'cams_2']);
      expect((await get('/groups/count', { group_ids: g.group_id })).body).toEqual({ count: 1 });
      expect((await get(`/groups/${g.group_id}`).expect(200)).body).toMatchObject({ group_id: g.group_id, group_name: 'cams_1', description: 'ground floor', stream_count: 0 });
      const patched = await t.http.patch(`${ws.base}/groups/${g.group_id}`).set(ws.owner.headers).send({ description: 'first floor' }).expect(200);
      expect(patched.body.description).toBe('first floor');
    });

    it('attaches and detaches streams, filters streams by group_name, and a stream can join at create', async () => {
      const g = (await post('/groups', { group_name: 'linker' }).expect(201)).body.group_id;
      const s1 = (await post('/streams', source('g-1')).expect(201)).body.stream_id;
      const s2 = (await post('/streams', source('g-2')).expect(201)).body.stream_id;
      const attached = await post(`/groups/${g}/streams`, { action: 'attach', stream_ids: [s1, s2] }).expect(200);
      expect(attached.body.stream_count).toBe(2);
      expect((await get(`/streams/${s1}`)).body.groups).toEqual(['linker']);
      expect((await get('/streams', { group_name: 'linker' })).body.items.map((s: { stream_id: string }) => s.stream_id)).toEqual([s1, s2]);

      expect((await post(`/groups/${g}/streams`, { action: 'detach', stream_ids: [s1] }).expect(200)).body.stream_count).toBe(1);
      const s3 = (await post('/streams', { ...source('g-3'), group_name: 'linker' }).expect(201)).body.stream_id;
      expect((await get('/streams', { group_name: 'linker' })).body.items.map((s: { stream_id: string }) => s.stream_id)).toEqual([s2, s3]);

      const missing = await post(`/groups/${g}/streams`, { action: 'attach', stream_ids: ['00000000-0000-4000-8000-000000000000'] });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0].field).toBe('stream_ids');
      expect((await post(`/groups/${g}/streams`, { action: 'merge', stream_ids: [s1] })).status).toBe(400);
      expect((await post(`/groups/${g}/streams`, { action: 'attach', stream_ids: Array.from({ length: 1001 }, () => s1) })).status).toBe(400);
    });

    it('deleting a group frees its name and leaves its streams; another workspace gets 404', async () => {
      const g = (await post('/groups', { group_name: 'short_lived' }).expect(201)).body.group_id;
      const s = (await post('/streams', { ...source('orphan'), group_name: 'short_lived' }).expect(201)).body.stream_id;
      const other = await tenant(t, 'other');
      expect((await t.http.get(`${other.base}/groups/${g}`).set(other.owner.headers)).status).toBe(404);
      expect((await t.http.delete(`${other.base}/groups/${g}`).set(other.owner.headers)).status).toBe(404);

      await t.http.delete(`${ws.base}/groups/${g}`).set(ws.owner.headers).expect(204);
      expect((await get(`/groups/${g}`)).status).toBe(404);
      expect((await get(`/streams/${s}`)).body.groups).toEqual([]);
      await post('/groups', { group_name: 'short_lived' }).expect(201);
    });
  });
});
