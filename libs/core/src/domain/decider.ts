import type { JsonObject } from '@streamplane/eventstore/event-store';
import type { StreamCategory } from './event-kinds';

/** A domain event as the decider sees it: a past-tense type and a JSON-safe payload. */
export interface DomainEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  type: Type;
  data: Data;
}

/**
 * The pure heart of an aggregate: `decide` turns a command and the current state into events (or
 * throws a DomainError), `evolve` folds one event into the state. No I/O and no clock inside:
 * time and lookups arrive in the command.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  decide: (command: Command, state: State) => Event[];
}

export function fold<Event extends DomainEvent, State>(decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>, events: Iterable<Event>): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

/** An aggregate type: where its streams live and the decider that guards them. */
export interface Aggregate<Command, Event extends DomainEvent, State> {
  readonly category: StreamCategory;
  readonly decider: Decider<Command, Event, State>;
  /**
   * What a 404 calls it when the id belongs to another workspace; absent for streams that are not
   * an entity of one workspace (slots, users).
   */
  readonly noun?: string;
  /**
   * A natural key for an event, when its content names it better than the request that wrote it
   * (a usage stretch is its subject and start): the event id derives from it, so no writer can
   * ever append that event twice, whatever its retries or idempotency keys.
   */
  readonly eventKeyOf?: (event: Event) => string | undefined;
}
