import { Aggregate, Decider, InvalidStateError, JsonObject, NotFoundError } from '@streamplane/core/domain';
import { allowed, GONE_STATUSES, QUEUED_STATUSES, StreamAction, StreamStatus } from './stream-status';
import { Autorestart, DroppedJob, StreamEvent, streamStreams, StreamSpec } from './stream.events';

export const DEFAULT_AUTORESTART: Autorestart = { restart: 0, attempt_count: 10, delay: 60 };

type At = { at: string };
type Drops = { dropped_job?: DroppedJob };
type Joins = { ticket?: number };

export type StreamCommand =
  | { type: 'Create'; streamId: string; workspaceId: string; spec: StreamSpec; status: 'pending' | 'pause'; groupId: string | null; now: Date }
  | { type: 'Update'; description?: string; status?: 'pending' | 'pause' | 'cancel'; now: Date }
  | { type: 'Replace'; spec: StreamSpec; status: 'pending' | 'pause'; now: Date }
  | { type: 'Take'; ticket: number; leaseToken: string; leaseSeconds: number; now: Date }
  | { type: 'Heartbeat'; now: Date }
  | { type: 'Complete'; videoInfo: JsonObject | null; now: Date }
  | { type: 'Fail'; error: string; videoInfo: JsonObject | null; now: Date }
  | { type: 'RequestRestart'; now: Date }
  | { type: 'ExpireLease'; now: Date }
  | { type: 'Delete'; now: Date };

export interface StreamState {
  status: 'none' | 'deleted' | StreamStatus;
  workspaceId?: string;
  autorestart: Autorestart;
  /** Bumped each time the stream joins the queue; a job of an older ticket is stale. */
  ticket: number;
  leaseToken: string | null;
  leaseSeconds: number;
  leaseExpiresAt: number;
  /** When the last recorded sign of life (take or heartbeat event) was. */
  lastSeenAt: number;
  /** Autorestart attempts spent since the stream last succeeded or was (re)started by a client. */
  attempt: number;
  /** When the current ticket may be taken (ms): when it joined the queue, plus a restart's delay. */
  dueAt: number;
}

/**
 * Heartbeats are recorded as events at most three times per lease: one that comes less than a
 * third of a lease after the last recorded sign of life only renews the queue lock. A handler that
 * beats at least every two thirds of the lease therefore never loses it, while a handler beating
 * every second does not write thirty events per lease. The lease stays decidable from the log alone.
 */
export const HEARTBEAT_RECORD_FRACTION = 1 / 3;

/** Never created, deleted, or deleted under its handler (`not_found`): every action is a 404. */
const isGone = (state: StreamState): boolean => state.status === 'none' || state.status === 'deleted' || GONE_STATUSES.includes(state.status);

function ensure(action: StreamAction, state: StreamState): void {
  if (isGone(state)) throw new NotFoundError('no such stream');
  if (!allowed(action, state.status as StreamStatus)) throw new InvalidStateError(`a stream that is ${state.status} cannot ${action.replace('_', ' ')}`);
}

const droppedJob = (state: StreamState): DroppedJob | undefined =>
  QUEUED_STATUSES.includes(state.status as StreamStatus) || state.status === 'in_progress' ? { ticket: state.ticket, lease_token: state.status === 'in_progress' ? state.leaseToken : null } : undefined;

const drops = (state: StreamState): Drops => {
  const job = droppedJob(state);
  return job ? { dropped_job: job } : {};
};

/** The queue ticket a create or replace carries, if it made the stream join the queue. */
function joined(state: StreamState, data: Joins & At): Partial<StreamState> {
  return typeof data.ticket === 'number' ? { ticket: data.ticket, dueAt: Date.parse(data.at) } : {};
}

/** After a failure or a lost handler: queue again if the policy has attempts left. */
function autorestart(state: StreamState, at: string): StreamEvent[] {
  const policy = state.autorestart;
  if (policy.restart !== 1 || state.attempt >= policy.attempt_count) return [];
  return [{ type: 'StreamRestartRequested', data: { ticket: state.ticket + 1, attempt: state.attempt + 1, delay_seconds: policy.delay, by: 'autorestart', at } }];
}

export const streamDecider: Decider<StreamCommand, StreamEvent, StreamState> = {
  initialState: () => ({ status: 'none', autorestart: DEFAULT_AUTORESTART, ticket: 0, leaseToken: null, leaseSeconds: 0, leaseExpiresAt: 0, lastSeenAt: 0, attempt: 0, dueAt: 0 }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'StreamCreated':
        return { ...state, status: event.data.status, workspaceId: event.data.workspace_id, autorestart: event.data.autorestart, ...joined(state, event.data) };
      case 'StreamQueued':
      case 'StreamResumed':
        return { ...state, status: 'pending', ticket: event.data.ticket, attempt: 0, dueAt: Date.parse(event.data.at) };
      case 'StreamUpdated':
        return state;
      case 'StreamReplaced':
        return { ...state, status: event.data.status, autorestart: event.data.autorestart, leaseToken: null, attempt: 0, ...joined(state, event.data) };
      case 'StreamPaused':
        return { ...state, status: 'pause', leaseToken: null };
      case 'StreamCancelled':
        return { ...state, status: 'cancel', leaseToken: null };
      case 'StreamTaken': {
        const at = Date.parse(event.data.at);
        return { ...state, status: 'in_progress', leaseToken: event.data.lease_token, leaseSeconds: event.data.lease_seconds, leaseExpiresAt: Date.parse(event.data.lease_expires_at), lastSeenAt: at };
      }
      case 'StreamHeartbeat':
        return { ...state, leaseExpiresAt: Date.parse(event.data.lease_expires_at), lastSeenAt: Date.parse(event.data.at) };
      case 'StreamCompleted':
        return { ...state, status: 'done', leaseToken: null, attempt: 0 };
      case 'StreamFailed':
        return { ...state, status: 'failure', leaseToken: null };
      case 'StreamHandlerLost':
        return { ...state, status: 'handler_lost', leaseToken: null };
      case 'StreamRestartRequested':
        return {
          ...state,
          status: 'restart',
          ticket: event.data.ticket,
          attempt: event.data.by === 'autorestart' ? event.data.attempt : state.attempt,
          leaseToken: null,
          dueAt: Date.parse(event.data.at) + event.data.delay_seconds * 1000,
        };
      case 'StreamDeleted':
        // Deleted under its handler: Luna's `not_found`, which the handler's next feedback is told.
        return { ...state, status: state.status === 'in_progress' ? 'not_found' : 'deleted', leaseToken: null };
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },

  decide: (command, state) => {
    const at = command.now.toISOString();
    switch (command.type) {
      case 'Create': {
        if (state.status !== 'none') throw new InvalidStateError('this stream already exists');
        const ticket: Joins = command.status === 'pending' ? { ticket: 1 } : {};
        return [{ type: 'StreamCreated', data: { stream_id: command.streamId, workspace_id: command.workspaceId, ...command.spec, status: command.status, group_id: command.groupId, ...ticket, at } }];
      }
      case 'Update': {
        if (isGone(state)) throw new NotFoundError('no such stream');
        const events: StreamEvent[] = [];
        if (command.description !== undefined) events.push({ type: 'StreamUpdated', data: { description: command.description, at } });
        if (command.status === 'pause') {
          ensure('pause', state);
          events.push({ type: 'StreamPaused', data: { ...drops(state), at } });
        } else if (command.status === 'cancel') {
          ensure('cancel', state);
          events.push({ type: 'StreamCancelled', data: { ...drops(state), at } });
        } else if (command.status === 'pending') {
          ensure('resume', state);
          events.push({ type: 'StreamResumed', data: { ticket: state.ticket + 1, at } });
        }
        return events;
      }
      case 'Replace': {
        ensure('replace', state);
        const ticket: Joins = command.status === 'pending' ? { ticket: state.ticket + 1 } : {};
        return [{ type: 'StreamReplaced', data: { ...command.spec, status: command.status, ...drops(state), ...ticket, at } }];
      }
      case 'Take': {
        ensure('take', state);
        if (command.ticket !== state.ticket) throw new InvalidStateError('this queue entry is stale: the stream was queued again since');
        const expires = new Date(command.now.getTime() + command.leaseSeconds * 1000).toISOString();
        return [{ type: 'StreamTaken', data: { ticket: command.ticket, lease_token: command.leaseToken, lease_seconds: command.leaseSeconds, lease_expires_at: expires, at } }];
      }
      case 'Heartbeat': {
        ensure('heartbeat', state);
        const now = command.now.getTime();
        if (now > state.leaseExpiresAt) throw new InvalidStateError('the lease has expired; the stream is about to be marked handler_lost');
        if (now - state.lastSeenAt < state.leaseSeconds * 1000 * HEARTBEAT_RECORD_FRACTION) return [];
        return [{ type: 'StreamHeartbeat', data: { lease_expires_at: new Date(now + state.leaseSeconds * 1000).toISOString(), at } }];
      }
      case 'Complete':
        ensure('complete', state);
        return [{ type: 'StreamCompleted', data: { video_info: command.videoInfo, ...drops(state), at } }];
      case 'Fail':
        ensure('fail', state);
        return [{ type: 'StreamFailed', data: { error: command.error, video_info: command.videoInfo, ...drops(state), at } }, ...autorestart(state, at)];
      case 'RequestRestart':
        ensure('request_restart', state);
        return [{ type: 'StreamRestartRequested', data: { ticket: state.ticket + 1, attempt: state.attempt, delay_seconds: 0, by: 'handler', ...drops(state), at } }];
      case 'ExpireLease': {
        // The sweeper's view may be stale: only a lease that really ran out is lost.
        if (state.status !== 'in_progress' || command.now.getTime() < state.leaseExpiresAt) return [];
        const lost: StreamEvent = { type: 'StreamHandlerLost', data: { lease_expired_at: new Date(state.leaseExpiresAt).toISOString(), ...drops(state), at } };
        return [lost, ...autorestart(state, at)];
      }
      case 'Delete':
        if (isGone(state)) throw new NotFoundError('no such stream');
        return [{ type: 'StreamDeleted', data: { ...drops(state), at } }];
    }
  },
};

/** The stream aggregate: `stream-<id>` streams of one workspace each, guarded by the stream decider. */
export const streams: Aggregate<StreamCommand, StreamEvent, StreamState> = { category: streamStreams, decider: streamDecider, noun: 'stream' };
