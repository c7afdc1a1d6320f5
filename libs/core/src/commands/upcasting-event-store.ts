import { AppendResult, EventData, EventStore, ExpectedRevision, ReadAllOptions, ReadStreamOptions, RecordedEvent, SubscribeOptions } from '@streamplane/eventstore';
import { EventCatalog } from './event-catalog';

/**
 * The event store every reader gets: each event comes out in its kind's current shape. One seam
 * for the command side, projections, reactors and queue rebuilds alike, so a versioned event can
 * never be read one way by a decider and another way by a read model. The stored JSON is never
 * rewritten; `metadata.event_version` says which shape the data now has, `stored_version` the one
 * on disk.
 */
export class UpcastingEventStore implements EventStore {
  readonly kind;

  constructor(
    private readonly stored: EventStore,
    private readonly catalog: EventCatalog,
  ) {
    this.kind = stored.kind;
  }

  append(stream: string, events: EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.stored.append(stream, events, expected);
  }

  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return this.upcastAll(this.stored.readStream(stream, options));
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return this.upcastAll(this.stored.readAll(options));
  }

  subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    return this.upcastAll(this.stored.subscribeToAll(options));
  }

  headPosition(): Promise<bigint> {
    return this.stored.headPosition();
  }

  close(): Promise<void> {
    return this.stored.close();
  }

  private async *upcastAll(events: AsyncIterable<RecordedEvent>): AsyncIterable<RecordedEvent> {
    for await (const event of events) yield this.upcast(event);
  }

  upcast(event: RecordedEvent): RecordedEvent {
    const current = this.catalog.versionOf(event.type);
    const storedVersion = Number(event.metadata.event_version ?? 1);
    if (storedVersion >= current) return event;
    return {
      ...event,
      data: this.catalog.upcast(event.type, event.data, storedVersion),
      metadata: { ...event.metadata, event_version: current, stored_version: storedVersion },
    };
  }
}
