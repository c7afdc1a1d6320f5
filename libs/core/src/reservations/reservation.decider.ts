import { ConflictError } from '../domain/domain-errors';
import { Decider } from '../domain/decider';
import { defineEvents, EventOf, payload, streamCategory } from '../domain/event-kinds';

/**
 * The core's own events, on `unique_<kind>-<value>` streams (one category per kind of value, so
 * the catalogue names the family).
 */
export const reservationEvents = defineEvents(streamCategory('unique_<kind>'), {
  ValueReserved: { description: 'A unique value (an email, a routing key, a group name) was taken by its owner', payload: payload<{ owner_id: string; at: string }>() },
  ValueReleased: { description: 'A unique value was given back and is free again', payload: payload<{ owner_id: string; at: string }>() },
});

export type ReservationEvent = EventOf<typeof reservationEvents>;

export type ReservationCommand =
  | {
      type: 'Reserve';
      ownerId: string;
      now: Date;
      what: string;
      /** Whether the current holder's own stream has been written; looked up only when someone else holds the value. */
      holderExists?: boolean;
    }
  | { type: 'Release'; ownerId: string; now: Date };

export interface ReservationState {
  ownerId?: string;
  reservedAt?: Date;
}

/**
 * How long a holder has to write its own stream after reserving. A holder that never came to exist
 * by then (its creation crashed after the reservation) gives way; a younger one is a concurrent
 * creation still in flight, and the newcomer loses.
 */
export const RESERVATION_GRACE_MS = 60_000;

/**
 * Uniqueness across entities (an email, a routing key, a group name): one stream per value,
 * `unique_<kind>-<value>`, whose events say who holds it. Two writers racing for the same value
 * race on that stream's revision, so exactly one wins; a read model could not promise that.
 */
export const reservationDecider: Decider<ReservationCommand, ReservationEvent, ReservationState> = {
  initialState: () => ({}),
  evolve: (_state, event) => (event.type === 'ValueReserved' ? { ownerId: event.data.owner_id, reservedAt: new Date(event.data.at) } : {}),
  decide: (command, state) => {
    const at = command.now.toISOString();
    if (command.type === 'Reserve') {
      if (state.ownerId === command.ownerId) return [];
      if (state.ownerId && !holderAbandoned(state, command.now, command.holderExists)) throw new ConflictError(`${command.what} is already taken`);
      return [{ type: 'ValueReserved', data: { owner_id: command.ownerId, at } }];
    }
    if (state.ownerId !== command.ownerId) return [];
    return [{ type: 'ValueReleased', data: { owner_id: command.ownerId, at } }];
  },
};

function holderAbandoned(state: ReservationState, now: Date, holderExists: boolean | undefined): boolean {
  const age = state.reservedAt ? now.getTime() - state.reservedAt.getTime() : Number.POSITIVE_INFINITY;
  return holderExists === false && age >= RESERVATION_GRACE_MS;
}

export function reservationStream(kind: string, value: string): string {
  return `unique_${kind}-${value}`;
}
