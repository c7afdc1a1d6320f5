import { Logger } from '@nestjs/common';
import { BackendFactory, createRedisBackend, RedisQueueBackend } from 'bullmq';
import IORedis from 'ioredis';

/** A Redis outage makes the client report every reconnect attempt; one line this often is enough. */
const ERROR_LOG_EVERY_MS = 30_000;

/**
 * The one Redis connection every queue taker of the process sends its commands on. Workspaces are
 * unlimited, so a connection per taker would let anyone open connections by creating workspaces.
 * Takes wait for Redis to come back rather than fail (BullMQ's worker setting), as before.
 */
export function takerConnection(redisUrl: string, logger: Logger): IORedis {
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null, connectionName: 'streamplane:queue-takers' });
  let lastLogged = 0;
  connection.on('error', (error: Error) => {
    if (Date.now() - lastLogged < ERROR_LOG_EVERY_MS) return;
    lastLogged = Date.now();
    logger.warn(`queue takers' Redis connection: ${error.message}`);
  });
  return connection;
}

/**
 * BullMQ's own Redis backend, minus the dedicated blocking connection a Worker always opens (and
 * opens at once, even over a shared client, which it duplicates). Only a blocking fetch uses that
 * connection, and takers fetch with `block: false` only; a blocking fetch here would stall the
 * shared connection for everyone, so the takers must never make one.
 */
export const withoutBlockingConnection: BackendFactory<RedisQueueBackend> = (name, opts, options) =>
  createRedisBackend(name, opts, { ...options, withBlockingConnection: false });
