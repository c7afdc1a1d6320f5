import { Injectable } from '@nestjs/common';
import { JsonObject } from '@streamplane/eventstore';
import { EventGroup, EventKind, upcastData } from '../domain/event-kinds';

/** Transitional: the flat lists contexts registered before the catalogue had groups. */
export interface LegacyEventKind {
  type: string;
  description: string;
  version: number;
  upcast?: (data: JsonObject, fromVersion: number) => JsonObject;
}

/** Every event type the product writes: each context registers its groups when its module starts. */
@Injectable()
export class EventCatalog {
  private readonly kinds = new Map<string, EventKind>();

  register(...groups: EventGroup[]): void {
    for (const group of groups) {
      for (const kind of Object.values(group.kinds)) {
        const known = this.kinds.get(kind.type);
        if (known && known !== kind) throw new Error(`two event kinds are named ${kind.type}`);
        this.kinds.set(kind.type, kind);
      }
    }
  }

  /** Transitional, until every context declares its events with `defineEvents`. */
  registerLegacy(...kinds: LegacyEventKind[]): void {
    for (const { type, version, description, upcast } of kinds) {
      const upcasters: Record<number, (data: JsonObject) => JsonObject> = upcast && version === 2 ? { 1: (data) => upcast(data, 1) } : {};
      this.kinds.set(type, { type, version, description, target: '', upcasters });
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
