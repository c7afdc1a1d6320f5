import { Aggregate, Decider, InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { DeliveryAttempt, DeliveryEvent, deliveryStreams } from './delivery.events';

export type DeliveryCommand = { type: 'RecordAttempt'; attempt: DeliveryAttempt; now: Date } | { type: 'Redeliver'; webhookId: string; now: Date };

export interface DeliveryState {
  workspaceId?: string;
  /** Attempts recorded so far. */
  attempts: number;
  /** Succeeded or given up: no attempt comes after. */
  finished: boolean;
  /** When the attempt after the last recorded one is due. */
  nextAttemptAt?: string | null;
  /** When its first failed attempt was: the webhook has been failing at least since then. */
  firstFailureAt?: string;
  /** What the delivery carries, from its first event. */
  of?: Pick<DeliveryAttempt, 'delivery_id' | 'webhook_id' | 'workspace_id' | 'event_id' | 'event_position'>;
}

const carried = (d: DeliveryAttempt | DeliveryEvent['data']) => ({
  delivery_id: d.delivery_id,
  webhook_id: d.webhook_id,
  workspace_id: d.workspace_id,
  event_id: d.event_id,
  event_position: d.event_position,
});

/**
 * The log of one delivery: one event per attempt, numbered. An attempt already recorded (a job
 * run twice) or one after the delivery finished writes nothing, so the log is the truth of what
 * was sent however often the job machinery repeats itself.
 */
export const deliveryDecider: Decider<DeliveryCommand, DeliveryEvent, DeliveryState> = {
  initialState: () => ({ attempts: 0, finished: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'DeliveryAttempted':
        return {
          workspaceId: event.data.workspace_id,
          attempts: Math.max(state.attempts, event.data.n),
          finished: event.data.outcome !== 'retrying',
          nextAttemptAt: event.data.next_attempt_at,
          firstFailureAt: state.firstFailureAt ?? (event.data.outcome === 'succeeded' ? undefined : event.data.at),
          of: carried(event.data),
        };
      case 'DeliveryRedeliveryRequested':
        // Attempt n is due now; the attempts before it stay in the log.
        // A redelivery starts its own streak: its old failures may predate an enabling.
        return { ...state, attempts: event.data.n - 1, finished: false, nextAttemptAt: event.data.at, firstFailureAt: undefined };
    }
  },
  decide: (command, state) => {
    if (command.type === 'Redeliver') {
      if (!state.of || state.of.webhook_id !== command.webhookId) throw new NotFoundError('no such delivery');
      if (!state.finished) throw new InvalidStateError('the delivery is still being attempted');
      return [{ type: 'DeliveryRedeliveryRequested', data: { ...state.of, n: state.attempts + 1, at: command.now.toISOString() } }];
    }
    if (state.finished || command.attempt.n <= state.attempts) return [];
    return [{ type: 'DeliveryAttempted', data: { ...command.attempt, at: command.now.toISOString() } }];
  },
};

export const deliveries: Aggregate<DeliveryCommand, DeliveryEvent, DeliveryState> = { category: deliveryStreams, decider: deliveryDecider, noun: 'delivery' };
