/**
 * The statuses of API.md and Luna-Streams. `restart` waits (maybe delayed) to be taken again.
 * `not_found` is Luna's: a stream deleted while a handler held it. No read shows a stream in it
 * (the stream is gone); its handler's feedback is answered with it, and the status log records it.
 */
export const STREAM_STATUSES = ['pending', 'in_progress', 'done', 'pause', 'restart', 'cancel', 'failure', 'handler_lost', 'not_found'] as const;
export type StreamStatus = (typeof STREAM_STATUSES)[number];

/** What can happen to a stream, by a client, a handler or the lease clock. */
export type StreamAction =
  | 'pause'
  | 'resume'
  | 'cancel'
  | 'replace'
  | 'take'
  | 'heartbeat'
  | 'complete'
  | 'fail'
  | 'request_restart'
  | 'lose_handler';

/**
 * The transition table: for each action, the statuses it may start from. Everything else is a
 * 400 (or, for a handler's feedback, `accepted: false`). Delete and description changes are
 * allowed in every status and so are not listed.
 */
export const ALLOWED_FROM: Record<StreamAction, readonly StreamStatus[]> = {
  // Clients (PATCH status, PUT).
  pause: ['pending', 'restart', 'in_progress'],
  resume: ['pause', 'cancel', 'done', 'failure', 'handler_lost'],
  cancel: ['pending', 'restart', 'pause', 'in_progress', 'failure', 'handler_lost'],
  replace: ['pending', 'restart', 'pause', 'cancel', 'done', 'failure', 'handler_lost'],
  // The queue and handlers.
  take: ['pending', 'restart'],
  heartbeat: ['in_progress'],
  complete: ['in_progress'],
  fail: ['in_progress'],
  request_restart: ['in_progress'],
  // The lease clock.
  lose_handler: ['in_progress'],
  // `not_found` is in no list: the stream was deleted under its handler.
};

/** The statuses in which a stream has a job waiting (or delayed) on the processing queue. */
export const QUEUED_STATUSES: readonly StreamStatus[] = ['pending', 'restart'];

/** Statuses of a stream that is gone: every action on it is a 404 (feedback: `not_found`). */
export const GONE_STATUSES: readonly StreamStatus[] = ['not_found'];

export function allowed(action: StreamAction, from: StreamStatus): boolean {
  return ALLOWED_FROM[action].includes(from);
}
