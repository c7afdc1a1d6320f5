import { ConflictError } from '../errors/domain-errors';
import { Decider, DomainEvent } from '../decider/decider';

export type ReservationEvent =
  | DomainEvent<'ValueReserved', { owner_id: string; at: string }>
  | DomainEvent<'ValueReleased', { owner_id: string; at: string }>;

export type ReservationCommand =
  | { type: 'Reserve'; ownerId: string; now: Date; what: string; ownerIsGone?: boolean }
  | { type: 'Release'; ownerId: string; now: Date };

export interface ReservationState {
  ownerId?: string;
}

/**
 * Uniqueness across entities (an email, a routing key, a group name): one stream per value,
 * `unique_<kind>-<value>`, whose events say who holds it. Two writers racing for the same value
 * race on that stream's revision, so exactly one wins; a read model could not promise that.
 */
export const reservationDecider: Decider<ReservationCommand, ReservationEvent, ReservationState> = {
  initialState: () => ({}),
  evolve: (state, event) => (event.type === 'ValueReserved' ? { ownerId: event.data.owner_id } : {}),
  decide: (command, state) => {
    const at = command.now.toISOString();
    if (command.type === 'Reserve') {
      if (state.ownerId === command.ownerId) return [];
      // A holder that never came to exist (its creation failed after reserving) gives way.
      if (state.ownerId && !command.ownerIsGone) throw new ConflictError(`${command.what} is already taken`);
      return [{ type: 'ValueReserved', data: { owner_id: command.ownerId, at } }];
    }
    if (state.ownerId !== command.ownerId) return [];
    return [{ type: 'ValueReleased', data: { owner_id: command.ownerId, at } }];
  },
};

export function reservationStream(kind: string, value: string): string {
  return `unique_${kind}-${value}`;
}
