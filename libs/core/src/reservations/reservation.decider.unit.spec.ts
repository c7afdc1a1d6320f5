import { deciderSpec } from '@streamplane/testing';
import { ConflictError } from '../domain/domain-errors';
import { reservationDecider, ReservationEvent } from './reservation.decider';

const now = new Date('2026-01-01T00:00:00.000Z');
const at = now.toISOString();
const reservedByA: ReservationEvent = { type: 'ValueReserved', data: { owner_id: 'a', at } };
const spec = deciderSpec(reservationDecider);

describe('reservation decider', () => {
  it('reserves a free value, and again after release', () => {
    spec.given([]).when({ type: 'Reserve', ownerId: 'a', now, what: 'x' }).then([reservedByA]);
    spec
      .given([reservedByA, { type: 'ValueReleased', data: { owner_id: 'a', at } }])
      .when({ type: 'Reserve', ownerId: 'b', now, what: 'x' })
      .then([{ type: 'ValueReserved', data: { owner_id: 'b', at } }]);
  });

  it('refuses a value someone else holds, even while that holder is still being created', () => {
    spec.given([reservedByA]).when({ type: 'Reserve', ownerId: 'b', now, what: 'the email', holderExists: true }).thenThrows(ConflictError, 'the email is already taken');
    // A concurrent sign-up whose user stream is not written yet still holds the value.
    const aMomentLater = new Date(now.getTime() + 50);
    spec.given([reservedByA]).when({ type: 'Reserve', ownerId: 'b', now: aMomentLater, what: 'the email', holderExists: false }).thenThrows(ConflictError, 'the email is already taken');
  });

  it('gives a value whose holder never came to exist to the next claimant after the grace period', () => {
    const later = new Date(now.getTime() + 60_000);
    spec
      .given([reservedByA])
      .when({ type: 'Reserve', ownerId: 'b', now: later, what: 'x', holderExists: false })
      .then([{ type: 'ValueReserved', data: { owner_id: 'b', at: later.toISOString() } }]);
    spec.given([reservedByA]).when({ type: 'Reserve', ownerId: 'b', now: later, what: 'x', holderExists: true }).thenThrows(ConflictError, 'x is already taken');
  });

  it('is idempotent for the holder and releases only for it', () => {
    spec.given([reservedByA]).when({ type: 'Reserve', ownerId: 'a', now, what: 'x' }).then([]);
    spec.given([reservedByA]).when({ type: 'Release', ownerId: 'b', now }).then([]);
    spec.given([reservedByA]).when({ type: 'Release', ownerId: 'a', now }).then([{ type: 'ValueReleased', data: { owner_id: 'a', at } }]);
  });
});
