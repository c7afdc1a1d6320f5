import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';

/** One stream per delivery of one event to one webhook: `delivery-<id>`, the id derived from both. */
export const deliveryStreams = streamCategory('delivery');

/** `retrying`: another attempt is scheduled; `failed`: none is (schedule spent, or the webhook is gone). */
export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed';

export type DeliveryAttempt = {
  delivery_id: string;
  webhook_id: string;
  workspace_id: string;
  event_id: string;
  event_type: string;
  event_position: string;
  /** 1 for the first attempt. */
  n: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  outcome: AttemptOutcome;
  next_attempt_at: string | null;
};

export const deliveryEvents = defineEvents(deliveryStreams, {
  DeliveryAttempted: {
    description: 'One attempt to deliver an event to a webhook: the receiver’s status code, how long it took, the error, and what comes next',
    payload: payload<DeliveryAttempt & { at: string }>(),
  },
  DeliveryRedeliveryRequested: {
    description: 'A finished delivery was asked to be sent again: attempt `n` follows at once',
    payload: payload<Pick<DeliveryAttempt, 'delivery_id' | 'webhook_id' | 'workspace_id' | 'event_id' | 'event_position' | 'n'> & { at: string }>(),
  },
});

export type DeliveryEvent = EventOf<typeof deliveryEvents>;
