import IORedis from 'ioredis';
import { RedisOptions } from 'bullmq';

/** Producers fail fast when Redis is down, so a request errors instead of hanging. */
export function producerConnection(url: string): IORedis {
  return new IORedis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
}

/** Workers wait for Redis to come back: BullMQ requires maxRetriesPerRequest null for them. */
export function workerConnectionOptions(url: string): RedisOptions {
  return { url, maxRetriesPerRequest: null };
}

/**
 * Waits (bounded) for a fail-fast connection to be ready. Called at start, so the first request
 * after it does not fail only because the connection was still being made.
 */
export async function untilReady(redis: IORedis, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    timer.unref();
    redis.once('ready', done);
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
  });
}
