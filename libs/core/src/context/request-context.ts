import { AsyncLocalStorage } from 'node:async_hooks';

export type ActorType = 'user' | 'token' | 'system' | 'worker';
export interface Actor {
  type: ActorType;
  id: string;
}

/** What every event a request (or a job) causes must carry in its metadata. */
export interface RequestContext {
  requestId: string;
  actor: Actor;
  /** The event or job id that caused this work, when it is not a plain request. */
  causationId?: string;
  idempotencyKey?: string;
  /** `If-Match`: the entity version the client pinned; a stale one is a 409, not a retry. */
  expectedVersion?: bigint;
  /** Set by the command pipeline: the log position the request wrote. */
  writtenPosition?: bigint;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'streamplane' };

export function runInContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export function recordWrittenPosition(position: bigint): void {
  const context = storage.getStore();
  if (context && (context.writtenPosition === undefined || position > context.writtenPosition)) context.writtenPosition = position;
}
