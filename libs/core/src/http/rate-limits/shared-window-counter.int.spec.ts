import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { SharedWindowCounter } from './shared-window-counter';

describe('SharedWindowCounter', () => {
  const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const prefix = `test_window_${randomBytes(4).toString('hex')}:`;
  let now = 1_000_000;
  const counter = (windowMs = 60_000) => new SharedWindowCounter(redis, prefix, windowMs, 1000, () => now);
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('refuses past the limit in one process at once, with the time to the window end', () => {
    const one = counter();
    for (let i = 0; i < 3; i++) expect(one.hit('a', 3)).toBeUndefined();
    now += 10_500;
    expect(one.hit('a', 3)).toEqual({ retryAfterSeconds: 50 });
    expect(one.hit('b', 3)).toBeUndefined();
  });

  it('shares the count between processes through Redis after a sync', async () => {
    const [one, two] = [counter(), counter()];
    expect(one.hit('shared', 4)).toBeUndefined();
    expect(one.hit('shared', 4)).toBeUndefined();
    expect(two.hit('shared', 4)).toBeUndefined();
    await one.sync();
    await two.sync();
    expect(two.hit('shared', 4)).toBeUndefined();
    expect(two.hit('shared', 4)).toBeDefined();
    await one.sync(); // nothing new from this one: it still learns the total with its next hit's sync
    expect(await redis.get(`${prefix}shared`)).toBe('3');
    expect(Number(await redis.pttl(`${prefix}shared`))).toBeGreaterThan(59_000);
  });

  it('starts a new window once the last one ended', async () => {
    const one = counter(1000);
    expect(one.hit('short', 1)).toBeUndefined();
    expect(one.hit('short', 1)).toBeDefined();
    now += 1001;
    expect(one.hit('short', 1)).toBeUndefined();
  });

  it('keeps counting here while Redis is away, and adds the hits once it is back', async () => {
    const away = new IORedis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    const one = new SharedWindowCounter(away, prefix, 60_000, 1000, () => now);
    expect(one.hit('offline', 1)).toBeUndefined();
    await one.sync();
    expect(one.hit('offline', 1)).toBeDefined();
    away.disconnect();
  });
});
