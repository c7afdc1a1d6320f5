import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import IORedis from 'ioredis';
import { unavailableDependency } from '../../errors/dependency-errors';

/**
 * One fixed window per key, counted and checked in one Lua call, so concurrent requests in any
 * number of processes can never pass the limit together. A request past the limit starts a block
 * of `blockDuration`; requests during a block are refused without counting.
 * Returns [hits, ms to the window's end, blocked (0/1), ms to the block's end].
 */
const INCREMENT = `
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return {tonumber(ARGV[2]) + 1, math.max(redis.call('PTTL', KEYS[1]), 0), 1, blocked} end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}
`;

/** @nestjs/throttler's storage in Redis, shared by every api process of an install. */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: IORedis,
    private readonly prefix: string,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}:throttle:${throttlerName}:${key}`;
    let counted: number[];
    try {
      counted = (await this.redis.eval(INCREMENT, 2, `${base}:hits`, `${base}:block`, ttl, limit, blockDuration)) as number[];
    } catch (error) {
      // Fail open: a Redis outage must not take every route down with it (reads and writes that
      // need only PostgreSQL still work); for its length nothing is counted.
      if (unavailableDependency(error)) return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
      throw error;
    }
    const [totalHits, msToExpire, blocked, msToBlockExpire] = counted;
    return {
      totalHits,
      timeToExpire: Math.ceil(msToExpire / 1000),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.ceil(msToBlockExpire / 1000),
    };
  }
}
