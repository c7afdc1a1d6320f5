import { InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { deciderSpec } from '@streamplane/testing';
import { deliveryDecider, DeliveryState } from './delivery.decider';
import { DeliveryAttempt, DeliveryEvent } from './delivery.events';

const now = new Date('2026-03-01T10:00:00.000Z');
const at = now.toISOString();
const attempt = (n: number, outcome: DeliveryAttempt['outcome']): DeliveryAttempt => ({
  delivery_id: 'd-1',
  webhook_id: 'wh-1',
  workspace_id: 'ws-1',
  event_id: 'e-1',
  event_type: 'InstanceCrashed',
  event_position: '42',
  n,
  status_code: outcome === 'succeeded' ? 200 : 500,
  duration_ms: 12,
  error: outcome === 'succeeded' ? null : 'HTTP 500',
  outcome,
  next_attempt_at: outcome === 'retrying' ? '2026-03-01T10:00:05.000Z' : null,
});
const attempted = (a: DeliveryAttempt): DeliveryEvent => ({ type: 'DeliveryAttempted', data: { ...a, at } });
const spec = deciderSpec(deliveryDecider);

describe('delivery decider', () => {
  it('records each attempt once, in order', () => {
    spec.given([]).when({ type: 'RecordAttempt', attempt: attempt(1, 'retrying'), now }).then([attempted(attempt(1, 'retrying'))]);
    spec.given([attempted(attempt(1, 'retrying'))]).when({ type: 'RecordAttempt', attempt: attempt(2, 'succeeded'), now }).then([attempted(attempt(2, 'succeeded'))]);
  });

  it('an attempt already recorded (a job run twice) writes nothing', () => {
    spec.given([attempted(attempt(1, 'retrying'))]).when({ type: 'RecordAttempt', attempt: attempt(1, 'retrying'), now }).then([]);
  });

  it('nothing comes after a delivery succeeded or gave up', () => {
    spec.given([attempted(attempt(1, 'succeeded'))]).when({ type: 'RecordAttempt', attempt: attempt(2, 'retrying'), now }).then([]);
    spec.given([attempted(attempt(8, 'failed'))]).when({ type: 'RecordAttempt', attempt: attempt(9, 'retrying'), now }).then([]);
  });

  it('a finished delivery may be sent again, as its next attempt; a pending one may not', () => {
    const requested: DeliveryEvent = {
      type: 'DeliveryRedeliveryRequested',
      data: { delivery_id: 'd-1', webhook_id: 'wh-1', workspace_id: 'ws-1', event_id: 'e-1', event_position: '42', n: 3, at },
    };
    const failedTwice = [attempted(attempt(1, 'retrying')), attempted(attempt(2, 'failed'))];
    spec.given(failedTwice).when({ type: 'Redeliver', webhookId: 'wh-1', now }).then([requested]);
    spec.given([...failedTwice, requested]).when({ type: 'RecordAttempt', attempt: attempt(3, 'succeeded'), now }).then([attempted(attempt(3, 'succeeded'))]);
    spec.given([...failedTwice, requested]).when({ type: 'Redeliver', webhookId: 'wh-1', now }).thenThrows(InvalidStateError);
    spec.given([attempted(attempt(1, 'retrying'))]).when({ type: 'Redeliver', webhookId: 'wh-1', now }).thenThrows(InvalidStateError, /still being attempted/);
    spec.given(failedTwice).when({ type: 'Redeliver', webhookId: 'wh-other', now }).thenThrows(NotFoundError);
    spec.given([]).when({ type: 'Redeliver', webhookId: 'wh-1', now }).thenThrows(NotFoundError);
  });

  it('remembers its first failure (the webhook has been failing since), forgotten by a redelivery', () => {
    const fold = (events: DeliveryEvent[]): DeliveryState => events.reduce(deliveryDecider.evolve, deliveryDecider.initialState());
    const first = { type: 'DeliveryAttempted' as const, data: { ...attempt(1, 'retrying'), at: '2026-03-01T00:00:00.000Z' } };
    const second = { type: 'DeliveryAttempted' as const, data: { ...attempt(2, 'failed'), at: '2026-03-01T00:05:00.000Z' } };
    expect(fold([first, second]).firstFailureAt).toBe('2026-03-01T00:00:00.000Z');
    expect(fold([attempted(attempt(1, 'succeeded'))]).firstFailureAt).toBeUndefined();
    const again: DeliveryEvent = { type: 'DeliveryRedeliveryRequested', data: { delivery_id: 'd-1', webhook_id: 'wh-1', workspace_id: 'ws-1', event_id: 'e-1', event_position: '42', n: 3, at } };
    expect(fold([first, second, again]).firstFailureAt).toBeUndefined();
  });
});
