import { Injectable } from '@nestjs/common';
import { JsonObject } from '@streamplane/eventstore';
import { EventGroup, EventKind, upcastData } from '../domain/event-kinds';
import { reservationEvents } from '../reservations/reservation.decider';

/** Every event type the product writes: each context registers its groups when its module starts. */
@Injectable()
export class EventCatalog {
  private readonly kinds = new Map<string, EventKind>();

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
  }

  versionOf(type: string): number {
    return this.kinds.get(type)?.version ?? 1;
  }

  upcast(type: string, data: JsonObject, storedVersion: number): JsonObject {
    const kind = this.kinds.get(type);
    return kind ? upcastData(kind, data, storedVersion) : data;
  }

  list(): EventKind[] {
    return [...this.kinds.values()].sort((a, b) => a.type.localeCompare(b.type));
  }
}
