import { JSONRecordedEvent, WrongExpectedVersionError, jsonEvent } from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../errors';
import { EventData, ExpectedRevision, JsonObject, RecordedEvent } from '../event-store';

/** EventStoreDB's own system streams and events start with `$`; they are not domain events. */
export function isSystemEvent(type: string, streamId: string): boolean {
  return type.startsWith('$') || streamId.startsWith('$');
}

export function toEventStoreDbEvent(event: EventData) {
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: event.metadata });
}

/**
 * Our position is EventStoreDB's commit position in `$all`. Events read from the server arrive
 * here already resolved; link events and events without a position are not ours to project.
 */
export function fromEventStoreDbEvent(event: JSONRecordedEvent): RecordedEvent | undefined {
  if (!event.position || isSystemEvent(event.type, event.streamId)) return undefined;
  return {
    eventId: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position.commit,
    data: (event.data ?? {}) as JsonObject,
    metadata: (event.metadata ?? {}) as JsonObject,
    recordedAt: event.created,
  };
}

/** Translates the server's concurrency error so callers handle one error type for both stores. */
export function translateAppendError(error: unknown, stream: string, expected: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion;
    return new WrongExpectedRevisionError(stream, expected, typeof actual === 'bigint' ? actual : 'none');
  }
  return error;
}

/** `readAll` from a position includes the event at it; our readers ask for events strictly after. */
export function allStreamStart(after: bigint | undefined) {
  return after === undefined || after === 0n ? ('start' as const) : { commit: after, prepare: after };
}
