import { Injectable } from '@nestjs/common';
import { JsonObject } from '@streamplane/eventstore';
import { RecordedEvent } from '@streamplane/eventstore';
import { EventGroup, EventKind, EventTarget, upcastData, withoutSealed } from '../domain/event-kinds';
import { reservationEvents } from '../reservations/reservation.decider';

/** Every event type the product writes: each context registers its groups when its module starts. */
@Injectable()
export class EventCatalog {
  private readonly kinds = new Map<string, EventKind>();
  private typeNames?: readonly string[];

  constructor() {
    this.register(reservationEvents);
  }

  register(...groups: EventGroup[]): void {
    for (const group of groups) {
      for (const kind of Object.values(group.kinds)) {
        const known = this.kinds.get(kind.type);
        if (known && known !== kind) throw new Error(`two event kinds are named ${kind.type}`);
        this.kinds.set(kind.type, kind);
      }
    }
    this.typeNames = undefined;
  }

  /** Every type name, for a consumer of the whole log (the list is kept until the next register). */
  types(): readonly string[] {
    return (this.typeNames ??= [...this.kinds.keys()]);
  }

  versionOf(type: string): number {
    return this.kinds.get(type)?.version ?? 1;
  }

  upcast(type: string, data: JsonObject, storedVersion: number): JsonObject {
    const kind = this.kinds.get(type);
    return kind ? upcastData(kind, data, storedVersion) : data;
  }

  /** What an event is about: its stream's entity (`instance-<id>` → instance), unless its kind says otherwise. */
  targetOf(event: Pick<RecordedEvent, 'type' | 'streamId' | 'data'>): EventTarget {
    const declared = this.kinds.get(event.type)?.targetOf?.(event.data);
    if (declared) return declared;
    const dash = event.streamId.indexOf('-');
    return dash < 0 ? { type: event.streamId, id: '' } : { type: event.streamId.slice(0, dash), id: event.streamId.slice(dash + 1) };
  }

  /** The event's data as shown over HTTP: its kind's sealed fields read as null. */
  shownData(event: Pick<RecordedEvent, 'type' | 'data'>): JsonObject {
    const kind = this.kinds.get(event.type);
    return kind ? withoutSealed(kind, event.data) : event.data;
  }

  list(): EventKind[] {
    return [...this.kinds.values()].sort((a, b) => a.type.localeCompare(b.type));
  }
}
