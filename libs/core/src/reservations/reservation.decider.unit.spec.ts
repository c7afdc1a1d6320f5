import { deciderSpec } from '@streamplane/testing';
import { ConflictError } from '../errors/domain-errors';
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

  it('refuses a value someone else holds, unless that owner never came to exist', () => {
    spec.given([reservedByA]).when({ type: 'Reserve', ownerId: 'b', now, what: 'the email' }).thenThrows(ConflictError, 'the email is already taken');
    spec.given([reservedByA]).when({ type: 'Reserve', ownerId: 'b', now, what: 'x', ownerIsGone: true }).then([{ type: 'ValueReserved', data: { owner_id: 'b', at } }]);
  });

  it('is idempotent for the holder and releases only for it', () => {
    spec.given([reservedByA]).when({ type: 'Reserve', ownerId: 'a', now, what: 'x' }).then([]);
    spec.given([reservedByA]).when({ type: 'Release', ownerId: 'b', now }).then([]);
    spec.given([reservedByA]).when({ type: 'Release', ownerId: 'a', now }).then([{ type: 'ValueReleased', data: { owner_id: 'a', at } }]);
  });
});
