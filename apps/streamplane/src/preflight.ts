import IORedis from 'ioredis';
import { AppConfig, ensureDatabase, redactUrl } from '@streamplane/core';

/**
 * Before anything starts: is PostgreSQL there (and the database created), is Redis there? A
 * missing dependency gets one clear sentence on how to start it, not a stack trace.
 */
export async function preflight(config: AppConfig): Promise<string[]> {
  const problems: string[] = [];
  try {
    await ensureDatabase(config.databaseUrl);
  } catch (error) {
    problems.push(
      `PostgreSQL is not reachable at ${redactUrl(config.databaseUrl)} (${describe(error)}). ` +
        'Start it (Debian: pg_ctlcluster 15 main start; Docker: docker compose up -d postgres) or set DATABASE_URL.',
    );
  }
  const redis = new IORedis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  let cause: unknown; // ioredis reports the real reason (ECONNREFUSED, …) on its error event
  redis.on('error', (error) => (cause ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    problems.push(
      `Redis is not reachable at ${redactUrl(config.redisUrl)} (${describe(cause ?? error)}). ` +
        'Start it (Debian: redis-server --daemonize yes; Docker: docker compose up -d redis) or set REDIS_URL.',
    );
  } finally {
    redis.disconnect();
  }
  return problems;
}

function describe(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(describe).join('; ');
  return error instanceof Error ? error.message || error.name : String(error);
}
