import { streamDecider, StreamState } from '../domain/stream.decider';
import { queueRefill } from './queue-refill';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const state = (overrides: Partial<StreamState>): StreamState => ({ ...streamDecider.initialState(), workspaceId: 'w1', ...overrides });

describe('queue refill: the jobs an emptied queue must get back', () => {
  it('one job per waiting stream under its current ticket, in the order they joined, restarts delayed by what is left', () => {
    const jobs = queueRefill(
      'w1',
      [
        { streamId: 'late', state: state({ status: 'pending', ticket: 1, dueAt: T0 + 2_000 }) },
        { streamId: 'restarting', state: state({ status: 'restart', ticket: 3, dueAt: T0 + 60_000 }) },
        { streamId: 'early', state: state({ status: 'pending', ticket: 2, dueAt: T0 }) },
        { streamId: 'due-restart', state: state({ status: 'restart', ticket: 2, dueAt: T0 + 1_000 }) },
      ],
      T0 + 5_000,
    );
    expect(jobs).toEqual([
      { entry: { workspace_id: 'w1', stream_id: 'early', ticket: 2 }, delayMs: 0 },
      { entry: { workspace_id: 'w1', stream_id: 'due-restart', ticket: 2 }, delayMs: 0 },
      { entry: { workspace_id: 'w1', stream_id: 'late', ticket: 1 }, delayMs: 0 },
      { entry: { workspace_id: 'w1', stream_id: 'restarting', ticket: 3 }, delayMs: 55_000 },
    ]);
  });

  it('leaves out streams the log says are not waiting (taken, paused, finished, deleted) or belong elsewhere', () => {
    const others = (['in_progress', 'pause', 'done', 'cancel', 'failure', 'handler_lost', 'deleted', 'none'] as const).map((status) => ({ streamId: status, state: state({ status, ticket: 1 }) }));
    const foreign = { streamId: 'foreign', state: state({ status: 'pending', ticket: 1, workspaceId: 'w2' }) };
    expect(queueRefill('w1', [...others, foreign], T0)).toEqual([]);
  });
});
