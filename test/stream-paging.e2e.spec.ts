import { EXACT_TOTAL_UP_TO } from '@streamplane/core';
import { seedStreams } from '@streamplane/testing';
import { startTestApp, TestApp } from './support/test-app';
import { Tenant, tenant } from './support/workspaces';

interface Page {
  items: Array<{ stream_id: string; name: string; status: string; create_time: string }>;
  page: number;
  page_size: number;
  total: number;
  total_exact: boolean;
  next_cursor: string | null;
}

const source = (name: string) => ({ name, data: { reference: `file:///media/${name}.mp4`, type: 'videofile' }, event_handler: {} });

describe('Lists page by key: cursor and next_cursor through HTTP', () => {
  let t: TestApp;
  let ws: Tenant;
  beforeAll(async () => {
    t = await startTestApp('paging');
    ws = await tenant(t, 'paging');
  });
  afterAll(() => t.close());

  const list = async (query: Record<string, string>, status = 200) => (await t.http.get(`${ws.base}/streams`).query(query).set(ws.owner.headers).expect(status)).body;

  it('walks every page of a filtered list by cursor: each item once, in order, null cursor on the last page', async () => {
    const paused: string[] = [];
    for (let i = 0; i < 23; i++) {
      const res = await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).send({ ...source(`walk-${i}`), status: i % 3 === 0 ? 'pending' : 'pause' }).expect(201);
      if (i % 3 !== 0) paused.push(res.body.stream_id);
    }
    const filters = { statuses: 'pause', page_size: '4' };
    const seen: string[] = [];
    let page: Page = await list(filters);
    expect(page).toMatchObject({ page: 1, page_size: 4, total: paused.length, total_exact: true });
    for (;;) {
      seen.push(...page.items.map((s) => s.stream_id));
      expect(page.items.every((s) => s.status === 'pause')).toBe(true);
      if (page.next_cursor === null) break;
      const next: Page = await list({ ...filters, cursor: page.next_cursor });
      expect(next.page).toBe(page.page + 1);
      expect(next.total).toBe(paused.length);
      page = next;
    }
    // 15 paused streams in pages of 4: 4 + 4 + 4 + 3, the last page's cursor null.
    expect(page.page).toBe(4);
    expect(seen).toEqual(paused);
    // The same order as the contract's pages by offset.
    const byOffset = (await list({ statuses: 'pause', page_size: '100' })) as Page;
    expect(byOffset.items.map((s) => s.stream_id)).toEqual(paused);
    expect(byOffset.next_cursor).toBeNull();
  });

  it('refuses a malformed or forged cursor, and one given for other filters, with a 400 naming cursor', async () => {
    const first: Page = await list({ statuses: 'pause', page_size: '2' });
    expect(first.next_cursor).toEqual(expect.any(String));
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(first.next_cursor!, 'base64url').toString()), k: ['yesterday', 'not-a-uuid'] })).toString('base64url');
    for (const [cursor, filters] of [
      ['not a cursor', { statuses: 'pause' }],
      [Buffer.from('[1,2]').toString('base64url'), { statuses: 'pause' }],
      [forged, { statuses: 'pause' }],
      [first.next_cursor!, { statuses: 'pending' }],
      [first.next_cursor!, {}],
    ] as Array<[string, Record<string, string>]>) {
      const res = await t.http.get(`${ws.base}/streams`).query({ ...filters, page_size: '2', cursor }).set(ws.owner.headers);
      expect({ cursor, status: res.status, type: res.headers['content-type'] }).toEqual({ cursor, status: 400, type: expect.stringContaining('application/problem+json') });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['cursor']);
    }
    // Another page size with the same filters continues the walk.
    expect(((await list({ statuses: 'pause', page_size: '3', cursor: first.next_cursor! })) as Page).page).toBe(2);
    expect((await t.http.get(`${ws.base}/streams`).query({ count: 'roughly' }).set(ws.owner.headers).expect(400)).body.errors[0].field).toBe('count');
  });

  it('counts a total past 1,000 rows only when asked; otherwise estimates it and says so', async () => {
    await seedStreams(t.db.pool, ws.workspaceId, EXACT_TOTAL_UP_TO + 2000);
    const exact = (await list({ names: 'seed-1,seed-2,seed-3' })) as Page;
    expect(exact).toMatchObject({ total: 3, total_exact: true, next_cursor: null });
    const rough: Page = await list({ statuses: 'done' });
    expect(rough.total_exact).toBe(false);
    expect(rough.total).toBeGreaterThan(EXACT_TOTAL_UP_TO);
    const counted: Page = await list({ statuses: 'done', count: 'exact' });
    // Seeded: every tenth stream paused, the rest done.
    expect(counted).toMatchObject({ total: (EXACT_TOTAL_UP_TO + 2000) * 0.9, total_exact: true });
    expect((await t.http.get(`${ws.base}/streams/count`).query({ statuses: 'done' }).set(ws.owner.headers).expect(200)).body).toEqual({ count: counted.total });
    // The cursor carries the first page's total: the next page does not count again.
    expect(((await list({ statuses: 'done', count: 'exact', cursor: counted.next_cursor! })) as Page).total).toBe(counted.total);
  });

  it('pages groups, instances and stream logs by cursor too', async () => {
    for (const name of ['g-1', 'g-2', 'g-3']) await t.http.post(`${ws.base}/groups`).set(ws.owner.headers).send({ group_name: name }).expect(201);
    const groupNames: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ group_name: string }>; next_cursor: string | null } } = await t.http
        .get(`${ws.base}/groups`)
        .query({ group_names: 'g-1,g-2,g-3', page_size: '2', ...(cursor ? { cursor } : {}) })
        .set(ws.owner.headers)
        .expect(200);
      groupNames.push(...res.body.items.map((g) => g.group_name));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(groupNames).toEqual(['g-1', 'g-2', 'g-3']);

    const logs: Page = (await t.http.get(`${ws.base}/streams/logs`).query({ statuses: 'pause', page_size: '10', targets: 'stream_id' }).set(ws.owner.headers).expect(200)).body;
    expect(logs.items).toHaveLength(10);
    const rest: Page = (await t.http.get(`${ws.base}/streams/logs`).query({ statuses: 'pause', page_size: '10', cursor: logs.next_cursor! }).set(ws.owner.headers).expect(200)).body;
    expect(rest).toMatchObject({ page: 2, next_cursor: null });
    expect(rest.items).toHaveLength(5);
    expect(new Set([...logs.items, ...rest.items].map((l) => l.stream_id)).size).toBe(15);

    const instances = (await t.http.get(`${ws.base}/instances`).query({ status: 'running' }).set(ws.owner.headers).expect(200)).body;
    expect(instances).toMatchObject({ items: [], total: 0, total_exact: true, next_cursor: null });
    expect((await t.http.get(`${ws.base}/instances`).query({ cursor: '%%%' }).set(ws.owner.headers).expect(400)).body.errors[0].field).toBe('cursor');
  });
});
