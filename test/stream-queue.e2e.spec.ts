import { eventually, startTestApp, TestApp } from './support/test-app';
import { Tenant, tenant } from './support/workspaces';

const source = (name: string, extra: object = {}) => ({ name, data: { reference: `file:///media/${name}.mp4` }, event_handler: {}, ...extra });
type Item = { stream_id: string; name: string; status: string };

function client(t: TestApp, ws: Tenant) {
  const headers = ws.owner.headers;
  return {
    create: async (name: string, extra: object = {}) => (await t.http.post(`${ws.base}/streams`).set(headers).send(source(name, extra)).expect(201)).body.stream_id as string,
    get: async (id: string) => (await t.http.get(`${ws.base}/streams/${id}`).set(headers).expect(200)).body,
    patch: (id: string, body: object) => t.http.patch(`${ws.base}/streams/${id}`).set(headers).send(body),
    peek: async (query: Record<string, string> = {}) => (await t.http.get(`${ws.base}/queue`).query({ limit: '1000', ...query }).set(headers).expect(200)).body.items as Item[],
    take: async (limit: number, filters?: object) => (await t.http.post(`${ws.base}/queue/take`).set(headers).send({ limit, filters }).expect(200)).body.items as Item[],
    feedback: async (streams: object[]) => (await t.http.post(`${ws.base}/queue/feedback`).set(headers).send({ streams }).expect(200)).body.items,
    logs: async (query: Record<string, string>) => (await t.http.get(`${ws.base}/streams/logs`).query(query).set(headers).expect(200)).body,
  };
}

describe('The processing queue through HTTP: peek, take, feedback, logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('stream_queue');
  });
  afterAll(() => t.close());

  it('peeks in queue order without taking; pausing leaves the queue, resuming rejoins at the back', async () => {
    const ws = await tenant(t, 'peek');
    const api = client(t, ws);
    const [a, b, c] = [await api.create('a'), await api.create('b'), await api.create('c')];
    expect((await api.peek()).map((s) => s.stream_id)).toEqual([a, b, c]);
    expect((await api.peek()).map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);
    expect((await api.peek({ limit: '2' })).map((s) => s.name)).toEqual(['a', 'b']);
    expect((await api.peek({ names: 'c,a' })).map((s) => s.name)).toEqual(['a', 'c']);

    await api.patch(a, { status: 'pause' }).expect(200);
    expect((await api.peek()).map((s) => s.name)).toEqual(['b', 'c']);
    await api.patch(a, { status: 'pending' }).expect(200);
    expect((await api.peek()).map((s) => s.name)).toEqual(['b', 'c', 'a']);
    await api.patch(b, { status: 'cancel' }).expect(200);
    await t.http.delete(`${ws.base}/streams/${c}`).set(ws.owner.headers).expect(204);
    expect((await api.peek()).map((s) => s.name)).toEqual(['a']);
  });

  it('takes in queue order: the streams become in_progress and leave the queue; filters pass others over in place', async () => {
    const ws = await tenant(t, 'take');
    const api = client(t, ws);
    await t.http.post(`${ws.base}/groups`).set(ws.owner.headers).send({ group_name: 'hd' }).expect(201);
    const ids = [await api.create('t1'), await api.create('t2', { group_name: 'hd' }), await api.create('t3'), await api.create('t4', { group_name: 'hd' })];

    const byGroup = await api.take(5, { group_names: ['hd'] });
    expect(byGroup.map((s) => s.name)).toEqual(['t2', 't4']);
    expect(byGroup.every((s) => s.status === 'in_progress')).toBe(true);
    expect((await api.peek()).map((s) => s.name)).toEqual(['t1', 't3']);

    expect((await api.take(1, { names: ['t3'] })).map((s) => s.name)).toEqual(['t3']);
    expect((await api.take(1, { stream_ids: [ids[0]] })).map((s) => s.stream_id)).toEqual([ids[0]]);
    expect(await api.take(10)).toEqual([]);
    expect((await api.get(ids[1])).status).toBe('in_progress');

    for (const body of [{ limit: 0 }, { limit: 101 }, { limit: 1, filters: { group_names: ['bad name'] } }, {}]) {
      expect((await t.http.post(`${ws.base}/queue/take`).set(ws.owner.headers).send(body)).status).toBe(400);
    }
  });

  it('accepts feedback per item: heartbeats, done, failure with its error, restart; refuses what is not taken', async () => {
    const ws = await tenant(t, 'feedback');
    const api = client(t, ws);
    const [done, failed, restarted, untaken] = [await api.create('done'), await api.create('failed'), await api.create('restarted'), await api.create('untaken', { status: 'pause' })];
    expect((await api.take(3)).map((s) => s.stream_id)).toEqual([done, failed, restarted]);

    const results = await api.feedback([
      { stream_id: done, status: 'in_progress' },
      { stream_id: done, status: 'done', video_info: { bytes: 1024, duration: 2.5 } },
      { stream_id: failed, status: 'failure', error: 'decoder crashed' },
      { stream_id: restarted, status: 'restart' },
      { stream_id: untaken, status: 'done' },
      { stream_id: '00000000-0000-4000-8000-000000000000', status: 'done' },
    ]);
    expect(results.map((r: { accepted: boolean }) => r.accepted)).toEqual([true, true, true, true, false, false]);
    expect(results[4].detail).toMatch(/pause/);
    expect(results[5].detail).toMatch(/no such stream/);

    expect(await api.get(done)).toMatchObject({ status: 'done', video_info: { bytes: 1024, duration: 2.5 } });
    expect(await api.get(failed)).toMatchObject({ status: 'failure', last_error: 'decoder crashed' });
    expect((await api.get(restarted)).status).toBe('restart');
    expect((await api.peek()).map((s) => s.stream_id)).toEqual([restarted]);
    expect((await api.take(1)).map((s) => s.stream_id)).toEqual([restarted]);

    const bad = await t.http.post(`${ws.base}/queue/feedback`).set(ws.owner.headers).send({ streams: [{ stream_id: done, status: 'finished' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('streams[0].status');
  });

  it('logs one row per status change, filterable, with chosen targets', async () => {
    const ws = await tenant(t, 'logs');
    const api = client(t, ws);
    const id = await api.create('logged');
    await api.take(1);
    await api.feedback([{ stream_id: id, status: 'failure', error: 'no signal', video_info: { bytes: 0 } }]);

    const all = await api.logs({ stream_ids: id });
    expect(all.items.map((l: { status: string }) => l.status)).toEqual(['pending', 'in_progress', 'failure']);
    expect(all.items.map((l: { version: number }) => l.version)).toEqual([1, 2, 3]);
    expect(all.items[2]).toMatchObject({ stream_id: id, error: 'no signal', video_info: { bytes: 0 }, version: 3 });
    expect(all.total).toBe(3);
    const failures = await api.logs({ stream_ids: id, statuses: 'failure', targets: 'status,error' });
    expect(failures.items).toEqual([{ status: 'failure', error: 'no signal' }]);
    const since = all.items[1].log_time;
    expect((await api.logs({ stream_ids: id, log_time__gte: since })).total).toBe(2);
    expect((await api.logs({ stream_ids: id, log_time__lt: since })).total).toBe(1);
    expect((await t.http.get(`${ws.base}/streams/logs`).query({ targets: 'status,secret' }).set(ws.owner.headers)).status).toBe(400);
  });

  it('shows a restart in the peek once its delay has passed, behind the streams already waiting, without taking it', async () => {
    const ws = await tenant(t, 'delayed');
    const api = client(t, ws);
    const id = await api.create('delayed', { autorestart: { restart: 1, attempt_count: 2, delay: 4 } });
    expect(await api.take(1)).toHaveLength(1);
    expect((await api.feedback([{ stream_id: id, status: 'failure', error: 'decoder crashed' }]))[0].accepted).toBe(true);
    const waiting = await api.create('waiting');
    // Not due yet: the peek has only the stream that waits already.
    expect((await api.peek()).map((s) => s.stream_id)).toEqual([waiting]);
    await eventually(async () => (await api.peek()).length === 2, 15_000);
    expect((await api.peek()).map((s) => s.stream_id)).toEqual([waiting, id]);
    expect((await api.get(id)).status).toBe('restart');
    // Takers meet them in the order the peek showed.
    expect((await api.take(2)).map((s) => s.stream_id)).toEqual([waiting, id]);
  });

  it('never hands one stream to two concurrent takers', async () => {
    const ws = await tenant(t, 'race');
    const api = client(t, ws);
    const created = new Set<string>();
    for (let i = 0; i < 40; i++) created.add(await api.create(`race-${i}`));

    const takers = await Promise.all(Array.from({ length: 8 }, () => api.take(10)));
    const taken = takers.flat().map((s) => s.stream_id);
    expect(taken.length).toBe(40);
    expect(new Set(taken).size).toBe(40);
    expect(new Set(taken)).toEqual(created);
    expect(await api.peek()).toEqual([]);
  });

  it("never shows a taker another workspace's streams", async () => {
    const mine = await tenant(t, 'mine');
    const theirs = await tenant(t, 'theirs');
    await client(t, theirs).create('secret');
    expect(await client(t, mine).peek()).toEqual([]);
    expect(await client(t, mine).take(10)).toEqual([]);
    expect((await client(t, theirs).peek()).map((s) => s.name)).toEqual(['secret']);
  });
});

describe('Leases: a taken stream without feedback becomes handler_lost, and autorestart requeues it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('stream_leases', { env: { STREAM_LEASE_SECONDS: '1' } });
  });
  afterAll(() => t.close());

  it('loses the handler after the lease, queues again under the policy until the attempts are spent', async () => {
    const ws = await tenant(t, 'lease');
    const api = client(t, ws);
    const id = await api.create('flaky', { autorestart: { restart: 1, attempt_count: 1, delay: 0 } });
    const plain = await api.create('plain');
    expect((await api.take(2)).map((s) => s.stream_id)).toEqual([id, plain]);

    // No feedback: the lease runs out, the sweeper marks both lost; only `flaky` may restart.
    await eventually(async () => (await api.get(plain)).status === 'handler_lost', 15_000);
    await eventually(async () => (await api.peek()).some((s) => s.stream_id === id), 15_000);
    expect(await api.get(id)).toMatchObject({ status: 'restart', autorestart: { current_attempt: 1 } });
    expect((await api.get(plain)).last_error).toMatch(/handler lost/);

    // Taken again and lost again: the one attempt is spent, so it stays handler_lost.
    expect((await api.take(1)).map((s) => s.stream_id)).toEqual([id]);
    await eventually(async () => (await api.get(id)).status === 'handler_lost', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await api.get(id)).status).toBe('handler_lost');
    expect(await api.peek()).toEqual([]);

    const statuses = (await api.logs({ stream_ids: id })).items.map((l: { status: string }) => l.status);
    expect(statuses).toEqual(['pending', 'in_progress', 'handler_lost', 'restart', 'in_progress', 'handler_lost']);
  });

  it('keeps a stream whose handler sends heartbeats', async () => {
    const ws = await tenant(t, 'alive');
    const api = client(t, ws);
    const id = await api.create('steady');
    await api.take(1);
    for (let i = 0; i < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await api.feedback([{ stream_id: id, status: 'in_progress' }]))[0].accepted).toBe(true);
    }
    expect((await api.get(id)).status).toBe('in_progress');
    expect((await api.feedback([{ stream_id: id, status: 'done' }]))[0].accepted).toBe(true);
  });
});
