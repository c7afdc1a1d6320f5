/**
 * Errors that say a dependency (PostgreSQL, Redis) is unreachable or restarting, as opposed to a
 * bug or a bad request. They answer 503 with Retry-After, and consumers retry them forever
 * instead of parking: the event is fine, the database is not.
 */
/** `network`: a refused or reset connection whose peer the error does not name. */
export type Dependency = 'postgres' | 'redis' | 'network';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH']);
/**
 * SQLSTATE classes and codes of a server going away or not taking connections yet: class 08
 * except 08P01, a protocol violation, which is what a bug sends (a bind message with the wrong
 * number of parameters) and must be a 500 that gets fixed, not a 503 that gets retried.
 */
const POSTGRES_OUTAGE_CODE = /^(08(?!P01)...|57P0[1-4]|53300|53400)$/;
const POSTGRES_MESSAGES = [
  'Connection terminated',
  'connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'the database system is starting up',
  'the database system is shutting down',
];
const REDIS_MESSAGES = ['Connection is closed', 'max retries per request', "Stream isn't writeable", 'enableOfflineQueue', 'Redis is loading'];

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  cause?: unknown;
}

export function unavailableDependency(error: unknown, depth = 0): Dependency | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  const e = error as ErrorLike;
  const message = typeof e.message === 'string' ? e.message : '';
  const code = typeof e.code === 'string' ? e.code : '';
  if (e.name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((m) => message.includes(m))) return 'redis';
  if (POSTGRES_OUTAGE_CODE.test(code) || POSTGRES_MESSAGES.some((m) => message.includes(m))) return 'postgres';
  if (NETWORK_CODES.has(code)) return 'network';
  // AggregateError (several addresses refused) and wrapped causes.
  for (const inner of [...(Array.isArray(e.errors) ? e.errors : []), e.cause]) {
    const found = unavailableDependency(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Seconds a client should wait before retrying while a dependency is down. */
export const OUTAGE_RETRY_AFTER_SECONDS = 2;
