import { createHash, randomUUID } from 'node:crypto';
import { currentContext } from '../context/request-context';

/**
 * A name-based (version 5 style) UUID: the same inputs always give the same id, so a command
 * retried with the same Idempotency-Key produces the same event ids and the store refuses to
 * write them twice, in any process.
 */
export function deterministicUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(parts.join('\u0000')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function newEventId(): string {
  return randomUUID();
}

/**
 * The id of an entity a request creates. With an Idempotency-Key it is derived from the key, so
 * a retry after a crash (the first attempt appended, then the process died before answering)
 * names the same entity, finds its events already written, and answers as the first attempt
 * would have — instead of creating a second one.
 */
export function newEntityId(): string {
  const context = currentContext();
  const key = context?.idempotencyKey;
  if (!context || key === undefined) return randomUUID();
  const index = entityCounters.get(context) ?? 0;
  entityCounters.set(context, index + 1);
  return deterministicUuid(context.actor.type, context.actor.id, key, 'entity', String(index));
}

const entityCounters = new WeakMap<object, number>();
