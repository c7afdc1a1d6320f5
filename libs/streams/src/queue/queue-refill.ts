import { StreamState } from '../domain/stream.decider';
import { QUEUED_STATUSES, StreamStatus } from '../domain/stream-status';
import { QueueEntry } from './processing-queue';

export interface QueuedJob {
  entry: QueueEntry;
  delayMs: number;
}

/**
 * The jobs one workspace's queue must hold, from its streams' states in the log: one per stream
 * waiting (pending, or restart with its delay counted from when it was asked for), under the
 * stream's current ticket, in the order they joined — the order takers would have met them.
 * Pure: the caller loads the states and adds the jobs.
 */
export function queueRefill(workspaceId: string, streams: Array<{ streamId: string; state: StreamState }>, now: number): QueuedJob[] {
  return streams
    .filter(({ state }) => state.workspaceId === workspaceId && QUEUED_STATUSES.includes(state.status as StreamStatus) && state.ticket > 0)
    .sort((a, b) => a.state.dueAt - b.state.dueAt || a.streamId.localeCompare(b.streamId))
    .map(({ streamId, state }) => ({ entry: { workspace_id: workspaceId, stream_id: streamId, ticket: state.ticket }, delayMs: Math.max(0, state.dueAt - now) }));
}
