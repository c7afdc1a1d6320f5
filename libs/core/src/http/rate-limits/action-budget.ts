import IORedis from 'ioredis';
import { unavailableDependency } from '../../errors/dependency-errors';
import { Refusal } from './shared-window-counter';

/** One fixed window per key, starting at its first hit: [hits, ms to the window's end]. */
const COUNT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1])}
`;

type WithCount = IORedis & { countActionHit(key: string, windowMs: number): Promise<[number, number]> };

/**
 * The small budgets of mail-sending actions (a few an hour), counted exactly in Redis on every
 * hit, so no number of api processes can pass them together. Fails open while Redis is away.
 */
export class ActionBudget {
  private readonly redis: WithCount;

  constructor(
    redis: IORedis,
    private readonly keyPrefix: string,
  ) {
    if (!('countActionHit' in redis)) redis.defineCommand('countActionHit', { numberOfKeys: 1, lua: COUNT });
    this.redis = redis as WithCount;
  }

  async hit(key: string, limit: number, windowMs: number): Promise<Refusal | undefined> {
    let hits: number, msLeft: number;
    try {
      [hits, msLeft] = await this.redis.countActionHit(`${this.keyPrefix}${key}`, windowMs);
    } catch (error) {
      if (unavailableDependency(error)) return undefined;
      throw error;
    }
    return hits > limit ? { retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)) } : undefined;
  }
}
