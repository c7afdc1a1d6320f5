import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { mediaNodes } from './support/media-nodes';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { Tenant, tenant } from './support/workspaces';

describe('Instances people can name and find: rename, description, tags, and list filters', () => {
  let t: TestApp;
  let ws: Tenant;
  let clusterId: string;
  const started: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('fleet_labels');
    ws = await tenant(t, 'labels');
    clusterId = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'edge', image_version: '1.0.0' }).expect(201)).body.id;
  });
  afterAll(async () => {
    const provisioner = t.app.get(LocalProvisioner);
    await Promise.all(started.map((id) => provisioner.ensureStopped(id)));
    await t.close();
  });

  const instances = (who = ws) => `${who.base}/instances`;
  const create = async (body: object = {}, who = ws, cluster = clusterId) => {
    const res = await t.http.post(instances(who)).set(who.owner.headers).send({ cluster_id: cluster, ...body }).expect(202);
    started.push(res.body.id);
    return res.body as { id: string; version: number };
  };
  const patch = (id: string, body: object, who = ws) => t.http.patch(`${instances(who)}/${id}`).set(who.owner.headers).send(body);
  const get = async (id: string) => (await t.http.get(`${instances()}/${id}`).set(ws.owner.headers).expect(200)).body;
  const clusterOf = async (who: Tenant) => (await t.http.post(`${who.base}/clusters`).set(who.owner.headers).send({ name: 'c', image_version: '1.0.0' }).expect(201)).body.id as string;

  it('renames, describes and tags a running instance with 200 and the instance, without touching its process', async () => {
    const { id } = await create({ name: 'cam-1' });
    const running = await eventually(async () => ((await get(id)).status === 'running' ? get(id) : undefined), 30_000);
    const pids = mediaNodes(id);
    expect(pids).toHaveLength(1);

    const res = await patch(id, { name: 'lobby-cam', description: 'the camera over the front door', tags: ['eu', 'tier:gold', 'eu'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, name: 'lobby-cam', description: 'the camera over the front door', tags: ['eu', 'tier:gold'], status: 'running', endpoint: running.endpoint, version: running.version + 1 });
    expect(await get(id)).toMatchObject({ name: 'lobby-cam', tags: ['eu', 'tier:gold'], status: 'running' });

    const history = (await t.http.get(`${instances()}/${id}/history`).set(ws.owner.headers).expect(200)).body.items;
    expect(history.map((e: { type: string }) => e.type).slice(-1)).toEqual(['InstanceLabelled']);
    // The same process answers: nothing restarted or redeployed it.
    expect(mediaNodes(id)).toEqual(pids);
    expect((await fetch(`${running.endpoint}/health`)).status).toBe(200);

    // A name can be cleared; giving labels it already has writes nothing.
    expect((await patch(id, { name: null }).expect(200)).body).toMatchObject({ name: null, version: running.version + 2 });
    expect((await patch(id, { tags: ['eu', 'tier:gold'] }).expect(200)).body.version).toBe(running.version + 2);
  });

  it('labels beside a placement change are applied with it, and the answer stays 202; a pending instance can be labelled', async () => {
    const { id, version } = await create({ name: 'mixed' });
    const described = (await patch(id, { description: 'still coming up' }).expect(200)).body;
    expect(described).toMatchObject({ id, description: 'still coming up' });
    expect(described.version).toBeGreaterThan(version);
    await eventually(async () => (await get(id)).status === 'running', 30_000);
    const res = await patch(id, { machine_type: 'small', tags: ['bigger'] });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ machine_type: 'small', tags: ['bigger'], description: 'still coming up' });
    // The existing contract: a placement change alone is still a 202.
    expect((await patch(id, { location: 'eu_north' })).status).toBe(202);
  });

  it('refuses bad labels with a 400 naming the field, and another workspace gets 404', async () => {
    const { id } = await create({ name: 'strict' });
    const cases: Array<[object, string]> = [
      [{ name: 'n'.repeat(65) }, 'name'],
      [{ name: '' }, 'name'],
      [{ description: 'd'.repeat(513) }, 'description'],
      [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
      [{ tags: ['Not A Tag'] }, 'tags'],
      [{ tags: 'eu' }, 'tags'],
      [{}, 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await patch(id, body);
      expect({ field, status: res.status, type: res.headers['content-type'] }).toEqual({ field, status: 400, type: expect.stringContaining('application/problem+json') });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const other = await tenant(t, 'labels-other');
    expect((await patch(id, { name: 'mine now' }, other)).status).toBe(404);
    expect((await patch(id, { machine_type: 'small', name: 'mine now' }, other)).status).toBe(404);
    expect((await get(id)).name).toBe('strict');
  });

  it('lists and counts by name, location, machine type and tag; pages by cursor through a filter; rejects bad filters', async () => {
    const mine = await tenant(t, 'labels-lists');
    const other = await tenant(t, 'labels-foreign');
    const theirs = await create({ name: 'find-me', location: 'us_east' }, other, await clusterOf(other));
    await patch(theirs.id, { tags: ['findable'] }, other).expect(200);

    const cluster = await clusterOf(mine);
    const a = await create({ name: 'find-me', location: 'us_east', machine_type: 'small' }, mine, cluster);
    const b = await create({ name: 'find-me-too', location: 'us_east' }, mine, cluster);
    const c = await create({ name: 'find-me', location: 'eu_central', machine_type: 'small' }, mine, cluster);
    await patch(a.id, { tags: ['findable', 'hd'] }, mine).expect(200);
    await patch(b.id, { tags: ['findable'] }, mine).expect(200);
    await patch(c.id, { tags: ['hd', 'findable'] }, mine).expect(200);
    const list = (query: Record<string, string>, path = '') => t.http.get(`${instances(mine)}${path}`).query(query).set(mine.owner.headers);

    const ids = async (query: Record<string, string>) => (await list(query).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(await ids({ name: 'find-me' })).toEqual([a.id, c.id]);
    expect(await ids({ tag: 'findable', location: 'us_east' })).toEqual([a.id, b.id]);
    expect(await ids({ tag: 'findable', machine_type: 'small' })).toEqual([a.id, c.id]);
    expect(await ids({ tag: 'hd,findable' })).toEqual([a.id, c.id]);
    expect(await ids({ tag: 'findable', name: 'find-me', location: 'eu_central' })).toEqual([c.id]);
    expect(await ids({ tag: 'nobody-has-this' })).toEqual([]);
    expect((await list({ tag: 'findable' }, '/count').expect(200)).body).toEqual({ count: 3 });
    expect((await list({ name: 'find-me', machine_type: 'small' }, '/count').expect(200)).body).toEqual({ count: 2 });
    expect((await list({ location: 'us_east', tag: 'hd' }, '/count').expect(200)).body).toEqual({ count: 1 });

    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; next_cursor: string | null; total: number } = (await list({ tag: 'findable', page_size: '1', ...(cursor && { cursor }) }).expect(200)).body;
      expect(page.total).toBe(3);
      walked.push(...page.items.map((i) => i.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(walked).toEqual([a.id, b.id, c.id]);
    const first = (await list({ tag: 'findable', page_size: '1' })).body.next_cursor;
    const switched = await list({ tag: 'hd', cursor: first });
    expect(switched.status).toBe(400);
    expect(switched.body.errors[0].field).toBe('cursor');

    for (const [query, field] of [
      [{ tag: 'Not A Tag' }, 'tag'],
      [{ name: 'n'.repeat(65) }, 'name'],
      [{ tag: Array.from({ length: 21 }, (_, i) => `t${i}`).join(',') }, 'tag'],
    ] as const) {
      const res = await list(query);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});
