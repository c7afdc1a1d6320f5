import { JsonObject, RecordedEvent } from '@streamplane/eventstore';
import { EventCatalog } from '../commands/event-catalog';

/** An event as the product shows it over HTTP (events API, webhook deliveries, exports). */
export interface EventView {
  position: string;
  event_id: string;
  type: string;
  event_version: number;
  stream_id: string;
  revision: string;
  target: { type: string; id: string };
  actor: { type: string; id: string };
  occurred_at: string;
  data: JsonObject;
  metadata: { correlation_id: string | null; causation_id: string | null; request_id: string | null };
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Who wrote the event, as the events API shows it (events from before actors were recorded: the system). */
export function actorOf(event: Pick<RecordedEvent, 'metadata'>): { type: string; id: string } {
  const actor = event.metadata.actor as { type?: unknown; id?: unknown } | undefined;
  return { type: text(actor?.type) ?? 'system', id: text(actor?.id) ?? 'system' };
}

/**
 * The HTTP shape of a recorded (and already upcast) event; the catalogue says what it is about,
 * and which of its fields are sealed (they show as null: never ciphertext, whether or not the key
 * that sealed them still exists).
 */
export function eventView(event: RecordedEvent, catalog: Pick<EventCatalog, 'targetOf' | 'shownData'>): EventView {
  return {
    position: event.position.toString(),
    event_id: event.eventId,
    type: event.type,
    event_version: Number(event.metadata.event_version ?? 1),
    stream_id: event.streamId,
    revision: event.revision.toString(),
    target: catalog.targetOf(event),
    actor: actorOf(event),
    occurred_at: text(event.metadata.occurred_at) ?? event.recordedAt.toISOString(),
    data: catalog.shownData(event),
    metadata: { correlation_id: text(event.metadata.$correlationId), causation_id: text(event.metadata.$causationId), request_id: text(event.metadata.request_id) },
  };
}
