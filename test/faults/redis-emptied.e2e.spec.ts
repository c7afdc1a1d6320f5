import IORedis from 'ioredis';
import { QueueRebuilder } from '@streamplane/core';
import { eventually, startTestApp, TestApp } from '../support/test-app';
import { Tenant, tenant } from '../support/workspaces';
import { PrivateRedis } from '../support/private-redis';
// After the app's own imports: the streams context's files load once the core is whole.

const source = (name: string, extra: object = {}) => ({ name, data: { reference: `file:///media/${name}.mp4` }, event_handler: {}, ...extra });
const LATER_DELAY_S = 25;

describe('Redis emptied: the queues come back from the log', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let ws: Tenant;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await startTestApp('redis_emptied', { env: { REDIS_URL: redis.url, STREAM_LEASE_SECONDS: '8', READ_YOUR_WRITES_TIMEOUT_MS: '1000' } });
    ws = await tenant(t, 'emptied');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await redis?.kill();
  });

  const create = async (name: string, extra: object = {}) => (await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).send(source(name, extra)).expect(201)).body.stream_id as string;
  const get = async (id: string) => (await t.http.get(`${ws.base}/streams/${id}`).set(ws.owner.headers).expect(200)).body;
  const peek = async () => (await t.http.get(`${ws.base}/queue`).query({ limit: '1000' }).set(ws.owner.headers).expect(200)).body.items.map((s: { stream_id: string }) => s.stream_id) as string[];
  const take = async (limit: number, filters?: object) =>
    (await t.http.post(`${ws.base}/queue/take`).set(ws.owner.headers).send({ limit, filters }).expect(200)).body.items.map((s: { stream_id: string }) => s.stream_id) as string[];
  const feedback = async (streams: object[]) => (await t.http.post(`${ws.base}/queue/feedback`).set(ws.owner.headers).send({ streams }).expect(200)).body.items;

  /** Takes until the queue answers empty: every stream handed out, in order, duplicates kept. */
  const takeAll = async () => {
    const taken: string[] = [];
    for (let batch = await take(100); batch.length; batch = await take(100)) taken.push(...batch);
    return taken;
  };

  it('rebuilds pending streams, due and future restarts, the lease sweeper and a create made during the outage; each stream takeable once', async () => {
    // Six restarts with a delay: four due soon, two due long after the rebuild.
    const restart = (delay: number) => ({ autorestart: { restart: 1, attempt_count: 3, delay } });
    const dueSoon = [];
    for (let i = 0; i < 4; i++) dueSoon.push(await create(`due-${i}`, restart(1)));
    const later = [await create('later-0', restart(LATER_DELAY_S)), await create('later-1', restart(LATER_DELAY_S))];
    expect(await take(6)).toEqual([...dueSoon, ...later]);
    const failed = await feedback([...dueSoon, ...later].map((stream_id) => ({ stream_id, status: 'failure', error: 'decoder crashed' })));
    expect(failed.every((r: { accepted: boolean }) => r.accepted)).toBe(true);

    const pending: string[] = [];
    for (let i = 0; i < 23; i++) pending.push(await create(`pending-${i}`));
    const leased = await create('leased');
    expect(await take(1, { stream_ids: [leased] })).toEqual([leased]);
    expect(await peek()).toEqual(expect.arrayContaining(pending));
    const restarting = await Promise.all([...dueSoon, ...later].map(get));
    expect(restarting.map((s) => s.status)).toEqual(Array(6).fill('restart'));

    // Redis loses everything. The API stays up, and a create goes into the log meanwhile.
    expect((await get(leased)).status).toBe('in_progress');
    await redis.kill();
    // The rate limiter counts in Redis and fails open: a create needs only the log, and answers
    // (stale: its queue job cannot be added yet), and so does a read of it.
    const created = await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).send(source('during-outage'));
    expect(created.status).toBe(201);
    expect(created.headers['x-consistency']).toBe('stale');
    const duringOutage = created.body.stream_id as string;
    expect((await get(duringOutage)).status).toBe('pending');
    expect((await t.http.get('/v1/health')).status).toBe(503); // up, and saying what is wrong
    await redis.start();

    // Within 30 s every waiting stream is back, once each; the pending ones in the order they joined.
    const expected = [...pending, ...dueSoon, duringOutage];
    // While the connections come back the queue may answer 503 (Redis unavailable): ask again.
    const peekOnceBack = async () => ((await t.http.get(`${ws.base}/queue`).query({ limit: '1000' }).set(ws.owner.headers)).body.items ?? []) as unknown[];
    await eventually(async () => (await peekOnceBack()).length >= expected.length, 30_000);
    const queued = await peek();
    expect(queued.filter((id) => pending.includes(id))).toEqual(pending);
    expect(new Set(queued)).toEqual(new Set(expected));
    expect(queued).toHaveLength(expected.length);

    // A second rebuild over a Redis that kept its jobs adds none (the sentinel's return proves it ran).
    const sentinel = t.app.get(QueueRebuilder).sentinelKey();
    const direct = new IORedis(redis.url);
    try {
      await direct.del(sentinel);
      await eventually(async () => (await direct.exists(sentinel)) === 1, 30_000);
    } finally {
      direct.disconnect();
    }
    expect(await peek()).toEqual(queued);

    const taken = await takeAll();
    expect(taken).toHaveLength(expected.length);
    expect(new Set(taken)).toEqual(new Set(expected));
    expect(await peek()).toEqual([]);
    // Finished, so that no lease runs out and requeues them under their autorestart policy.
    expect((await feedback(taken.map((stream_id) => ({ stream_id, status: 'done' })))).every((r: { accepted: boolean }) => r.accepted)).toBe(true);

    // The later restarts kept their delay: not handed out early, then exactly once each.
    expect((await Promise.all(later.map(get))).map((s) => s.status)).toEqual(['restart', 'restart']);
    // The lease sweeper came back with the rebuild: the leased stream runs out of its lease.
    await eventually(async () => (await get(leased)).status === 'handler_lost', 30_000);
    await eventually(async () => (await peek()).length === later.length, (LATER_DELAY_S + 10) * 1000);
    const lateTaken = await takeAll();
    expect(lateTaken.sort()).toEqual([...later].sort());
    expect(await peek()).toEqual([]);
  }, 120_000);
});
