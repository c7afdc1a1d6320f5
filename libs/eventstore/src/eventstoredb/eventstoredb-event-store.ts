import { BACKWARDS, END, EventStoreDBClient, FORWARDS, START, StreamNotFoundError, excludeSystemEvents } from '@eventstore/db-client';
import {
  AppendResult,
  EventData,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store';
import { allStreamStart, fromEventStoreDbEvent, toEventStoreDbEvent, translateAppendError } from './eventstoredb-mapping';

/** The production event store (`EVENTSTORE_CONNECTION_STRING`). */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private readonly client: EventStoreDBClient;

  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  async append(stream: string, events: EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(stream, events.map(toEventStoreDbEvent), { expectedRevision: expected });
      return { nextRevision: result.nextExpectedRevision, position: result.position?.commit ?? 0n };
    } catch (error) {
      throw translateAppendError(error, stream, expected);
    }
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const reading = this.client.readStream(stream, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
    });
    try {
      for await (const resolved of reading) {
        const event = resolved.event && fromEventStoreDbEvent(resolved.event as never);
        if (!event) continue;
        if (options.toRevision !== undefined && (backwards ? event.revision < options.toRevision : event.revision > options.toRevision)) return;
        yield event;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return; // a stream with no events reads as empty, as in PostgreSQL
      throw error;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const reading = this.client.readAll({ fromPosition: allStreamStart(options.after), direction: FORWARDS, maxCount: Number.MAX_SAFE_INTEGER });
    for await (const resolved of reading) {
      const event = resolved.event && fromEventStoreDbEvent(resolved.event as never);
      if (!event || (options.after !== undefined && event.position <= options.after)) continue;
      yield event;
      if (--remaining <= 0) return;
    }
  }

  async *subscribeToAll({ after, signal }: SubscribeOptions): AsyncIterable<RecordedEvent> {
    const subscription = this.client.subscribeToAll({
      fromPosition: allStreamStart(after),
      filter: excludeSystemEvents(),
    });
    const stop = () => void subscription.unsubscribe();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const resolved of subscription) {
        const event = resolved.event && fromEventStoreDbEvent(resolved.event as never);
        if (!event || (after !== undefined && event.position <= after)) continue;
        yield event;
        if (signal?.aborted) return;
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      await subscription.unsubscribe();
    }
  }

  async headPosition(): Promise<bigint> {
    for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 50 })) {
      const event = resolved.event && fromEventStoreDbEvent(resolved.event as never);
      if (event) return event.position;
    }
    return 0n;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
