import IORedis from 'ioredis';
import { PrivateRedis } from './support/private-redis';
import { startTestApp, TestApp } from './support/test-app';
import { verifiedUser } from './support/users';

const WORKSPACES = 24;
/** Connections the app may open or drop on its own while the takes run (reconnects, lazy clients). */
const SLACK = 2;

const source = (name: string) => ({ name, data: { reference: `file:///media/${name}.mp4` }, event_handler: {} });

describe('Queue takers: the Redis connections do not grow with the number of workspaces taken from', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let probe: IORedis;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await startTestApp('queue_takers', { env: { REDIS_URL: redis.url, MAX_WORKSPACES_PER_USER: String(WORKSPACES) } });
    probe = new IORedis(redis.url);
  }, 60_000);
  afterAll(async () => {
    probe?.disconnect();
    await t?.close();
    await redis?.kill();
  });

  /** Every client of the private Redis but the probe: the app's connections. */
  const appConnections = async () => {
    const own = await probe.client('ID');
    const lines = String(await probe.client('LIST')).trim().split('\n');
    return lines.filter((line) => !line.startsWith(`id=${own} `));
  };

  it('takes once from each of many workspaces: each stream taken exactly once, the connections stay at what one take opened', async () => {
    // One owner with many workspaces: what anyone can do, each workspace costing one request.
    const owner = await verifiedUser(t, 'takers');
    const bases: string[] = [];
    for (let i = 0; i < WORKSPACES; i++) {
      const res = await t.http.post('/v1/workspaces').set(owner.headers).send({ name: `takers ${i}` }).expect(201);
      bases.push(`/v1/workspaces/${res.body.id}`);
    }
    const create = async (base: string, name: string) => (await t.http.post(`${base}/streams`).set(owner.headers).send(source(name)).expect(201)).body.stream_id as string;
    const take = async (base: string) => ((await t.http.post(`${base}/queue/take`).set(owner.headers).send({ limit: 10 }).expect(200)).body.items as Array<{ stream_id: string }>).map((s) => s.stream_id);
    const streams = [];
    for (const [i, base] of bases.entries()) streams.push(await create(base, `stream-${i}`));

    // The first take opens whatever a take needs; that is the level to stay at.
    expect(await take(bases[0])).toEqual([streams[0]]);
    const baseline = (await appConnections()).length;

    // The others all at once, as an attacker would: every workspace still hands out its own stream.
    const taken = await Promise.all(bases.slice(1).map(take));
    expect(taken).toEqual(streams.slice(1).map((id) => [id]));
    const after = await appConnections();
    expect(after.length).toBeLessThanOrEqual(baseline + SLACK);
    expect(after.filter((line) => / name=streamplane:queue-takers /.test(line))).toHaveLength(1);

    // Taken exactly once: a second round finds every queue empty, and the streams are in progress.
    expect(await Promise.all(bases.map(take))).toEqual(bases.map(() => []));
    for (const [i, base] of bases.entries()) {
      expect((await t.http.get(`${base}/streams/${streams[i]}`).set(owner.headers).expect(200)).body.status).toBe('in_progress');
    }
    expect((await appConnections()).length).toBeLessThanOrEqual(baseline + SLACK);
  }, 120_000);
});
