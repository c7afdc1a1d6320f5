import { JsonObject } from '@streamplane/eventstore';

export interface EventKind {
  type: string;
  description: string;
  /** The current schema version written into `metadata.event_version`. */
  version: number;
  /** Maps the data of an older version to the current shape; stored events are never rewritten. */
  upcast?: (data: JsonObject, fromVersion: number) => JsonObject;
}

/** Every event type the product writes, registered by its context at start. */
export class EventCatalog {
  private readonly kinds = new Map<string, EventKind>();

  register(...kinds: EventKind[]): void {
    for (const kind of kinds) this.kinds.set(kind.type, kind);
  }

  versionOf(type: string): number {
    return this.kinds.get(type)?.version ?? 1;
  }

  upcast(type: string, data: JsonObject, storedVersion: number): JsonObject {
    const kind = this.kinds.get(type);
    if (!kind?.upcast || storedVersion >= kind.version) return data;
    return kind.upcast(data, storedVersion);
  }

  list(): EventKind[] {
    return [...this.kinds.values()].sort((a, b) => a.type.localeCompare(b.type));
  }
}
