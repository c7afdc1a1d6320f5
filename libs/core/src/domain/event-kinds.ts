import type { JsonObject } from '@streamplane/eventstore/event-store';
import type { DomainEvent } from './decider';

/** Turns the data of one stored version into the shape of the next. */
export type Upcaster = (data: JsonObject) => JsonObject;

/** Names a payload type for the compiler; at run time it is an empty object. */
export interface Payload<Data extends JsonObject> {
  readonly __payload?: Data;
}

export const payload = <Data extends JsonObject>(): Payload<Data> => ({});

/** One event type as its context declares it, before the catalogue adds its name and target. */
export interface EventSpec<Data extends JsonObject> {
  description: string;
  /** The schema version written today (1 when absent); older stored versions are upcast on read. */
  version?: number;
  /** `upcasters[n]` maps the data of version n to version n + 1; one per version below `version`. */
  upcasters?: Readonly<Record<number, Upcaster>>;
  payload: Payload<Data>;
  /** What the event is about when that is not its stream's entity (a usage stretch is about its subject). */
  targetOf?(data: Data): EventTarget;
  /**
   * Fields holding a value sealed under a key (personal data under its owner's key, secrets under
   * the workspace's): `email`, or `sealed.*` for every value of an object. Shown as null over HTTP.
   */
  sealed?: readonly SealedField<Data>[];
}

/** A top-level field of the payload, or `<field>.*` for each value of an object field. */
export type SealedField<Data> = (keyof Data & string) | `${keyof Data & string}.*`;

export interface EventTarget {
  type: string;
  id: string;
}

/** An event type of the catalogue: what every reader, writer and the events API know about it. */
export interface EventKind<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly type: Type;
  readonly version: number;
  /** The category of the streams it is written to (`stream`, `instance`, …). */
  readonly target: string;
  readonly description: string;
  readonly upcasters: Readonly<Record<number, Upcaster>>;
  readonly targetOf?: (data: JsonObject) => EventTarget;
  readonly sealed: readonly string[];
  readonly __payload?: Data;
}

/**
 * The streams of one aggregate type: `<name>-<id>`. Every place that builds or parses a stream
 * name goes through one of these.
 */
export interface StreamCategory {
  readonly name: string;
  stream(id: string): string;
  /** The entity id of a stream of this category. */
  idOf(streamName: string): string;
  holds(streamName: string): boolean;
}

export function streamCategory(name: string): StreamCategory {
  const prefix = `${name}-`;
  return {
    name,
    stream: (id) => prefix + id,
    holds: (streamName) => streamName.startsWith(prefix),
    idOf: (streamName) => {
      if (!streamName.startsWith(prefix)) throw new Error(`${streamName} is not a ${name} stream`);
      return streamName.slice(prefix.length);
    },
  };
}

type DataOf<Spec> = Spec extends { payload: Payload<infer Data> } ? Data : never;

/** The event types of one aggregate, written to one stream category. */
export interface EventGroup<Kinds extends Record<string, EventKind> = Record<string, EventKind>> {
  readonly category: StreamCategory;
  readonly kinds: Kinds;
}

export type KindsOf<Specs> = { readonly [Type in keyof Specs & string]: EventKind<Type, DataOf<Specs[Type]>> };

/**
 * Declares an aggregate's events once: the object's keys are the type names, so a name is spelt
 * in one place and everything else (decider unions, projection handler maps) is derived from it.
 */
export function defineEvents<Specs extends Record<string, EventSpec<JsonObject>>>(category: StreamCategory, specs: Specs): EventGroup<KindsOf<Specs>> {
  const kinds: Record<string, EventKind> = {};
  for (const [type, spec] of Object.entries(specs)) {
    const version = spec.version ?? 1;
    const upcasters = spec.upcasters ?? {};
    for (let from = 1; from < version; from++) {
      if (!upcasters[from]) throw new Error(`${type} is at version ${version} but has no upcaster from version ${from}`);
    }
    const targetOf = spec.targetOf?.bind(spec) as ((data: JsonObject) => EventTarget) | undefined;
    kinds[type] = { type, version, target: category.name, description: spec.description, upcasters, sealed: spec.sealed ?? [], ...(targetOf ? { targetOf } : {}) };
  }
  return { category, kinds: kinds as KindsOf<Specs> };
}

/** The union of domain events a group declares: what its decider folds and decides. */
export type EventOf<Group extends EventGroup> = {
  [Type in keyof Group['kinds']]: Group['kinds'][Type] extends EventKind<infer T, infer Data> ? DomainEvent<T, Data> : never;
}[keyof Group['kinds']];

/** The data with every sealed field of its kind replaced by null: no ciphertext leaves the service, shredded or not. */
export function withoutSealed(kind: Pick<EventKind, 'sealed'>, data: JsonObject): JsonObject {
  if (kind.sealed.length === 0) return data;
  const shown: JsonObject = { ...data };
  for (const field of kind.sealed) {
    const name = field.endsWith('.*') ? field.slice(0, -2) : field;
    const value = shown[name];
    if (value === undefined || value === null) continue;
    shown[name] = field.endsWith('.*') && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.keys(value).map((key) => [key, null])) : null;
  }
  return shown;
}

/** Brings data stored at `storedVersion` to the kind's current shape; stored events are never rewritten. */
export function upcastData(kind: EventKind, data: JsonObject, storedVersion: number): JsonObject {
  let current = data;
  for (let from = storedVersion; from < kind.version; from++) current = kind.upcasters[from](current);
  return current;
}
