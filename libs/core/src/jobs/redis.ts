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
