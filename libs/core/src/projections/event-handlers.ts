import { RecordedEvent } from '@streamplane/eventstore';
import { DomainEvent } from '../domain/decider';

/** A recorded event whose type and data are those the catalogue declares for it. */
export type RecordedEventOf<E extends DomainEvent> = E extends DomainEvent ? Omit<RecordedEvent, 'type' | 'data'> & { type: E['type']; data: E['data'] } : never;

export type EventHandler<E extends DomainEvent, Context, Result> = (event: RecordedEventOf<E>, context: Context) => Result;

/**
 * One entry for every event type of `E`: a consumer over a catalogue says what it does with each,
 * and `null` where it has nothing to do on purpose. A new event type in the catalogue does not
 * compile until every such consumer has decided; a misspelt one never compiles.
 */
export type EventHandlers<E extends DomainEvent, Context = void, Result = Promise<void>> = string extends E['type']
  ? Record<string, EventHandler<E, Context, Result> | null>
  : { [Type in E['type']]: EventHandler<Extract<E, { type: Type }>, Context, Result> | null };

/** For a consumer that picks a few types out of a large catalogue (a reactor, usually). */
export type SomeEventHandlers<E extends DomainEvent, Context = void, Result = Promise<void>> = Partial<EventHandlers<E, Context, Result>>;

export interface EventRouter<Context, Result> {
  /** The types with a handler: the consumer's `eventTypes`. */
  readonly eventTypes: readonly string[];
  route(event: RecordedEvent, context: Context): Result | undefined;
}

/** Routes recorded events to the handler of their type; the cast is safe because the catalogue typed the map. */
export function eventRouter<E extends DomainEvent, Context = void, Result = Promise<void>>(
  handlers: EventHandlers<E, Context, Result> | SomeEventHandlers<E, Context, Result>,
): EventRouter<Context, Result> {
  const table = handlers as Record<string, EventHandler<E, Context, Result> | null | undefined>;
  return {
    eventTypes: Object.keys(table).filter((type) => table[type]),
    route: (event, context) => table[event.type]?.(event as RecordedEventOf<E>, context),
  };
}

/** The version of its entity an event leaves behind: the number of events in its stream up to it. */
export const entityVersion = (event: Pick<RecordedEvent, 'revision'>): number => Number(event.revision) + 1;
