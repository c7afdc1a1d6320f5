import { Aggregate, Decider } from '@streamplane/core/domain';
import { DeliveryAttempt, DeliveryEvent, deliveryStreams } from './delivery.events';

export type DeliveryCommand = { type: 'RecordAttempt'; attempt: DeliveryAttempt; now: Date };

export interface DeliveryState {
  workspaceId?: string;
  /** Attempts recorded so far. */
  attempts: number;
  /** Succeeded or given up: no attempt comes after. */
  finished: boolean;
  /** When the attempt after the last recorded one is due. */
  nextAttemptAt?: string | null;
}

/**
 * The log of one delivery: one event per attempt, numbered. An attempt already recorded (a job
 * run twice) or one after the delivery finished writes nothing, so the log is the truth of what
 * was sent however often the job machinery repeats itself.
 */
export const deliveryDecider: Decider<DeliveryCommand, DeliveryEvent, DeliveryState> = {
  initialState: () => ({ attempts: 0, finished: false }),
  evolve: (state, event) => ({
    workspaceId: event.data.workspace_id,
    attempts: Math.max(state.attempts, event.data.n),
    finished: event.data.outcome !== 'retrying',
    nextAttemptAt: event.data.next_attempt_at,
  }),
  decide: (command, state) => {
    if (state.finished || command.attempt.n <= state.attempts) return [];
    return [{ type: 'DeliveryAttempted', data: { ...command.attempt, at: command.now.toISOString() } }];
  },
};

export const deliveries: Aggregate<DeliveryCommand, DeliveryEvent, DeliveryState> = { category: deliveryStreams, decider: deliveryDecider, noun: 'delivery' };
