/** JSON-safe values only: event payloads never hold bigint, Date or undefined. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * `any` appends regardless; `no_stream` only to a stream with no events; `stream_exists` only to a
 * stream with at least one; a bigint only when the stream's last revision is exactly that.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface EventData {
  eventId: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
}

export interface RecordedEvent {
  eventId: string;
  type: string;
  streamId: string;
  revision: bigint;
  /** Global order of the log. Sparse: gaps are normal, only the order means something. */
  position: bigint;
  data: JsonObject;
  metadata: JsonObject;
  recordedAt: Date;
}

export interface AppendResult {
  /** Revision of the last event now in the stream (what to expect on the next append). */
  nextRevision: bigint;
  /** Global position of the last event written. */
  position: bigint;
  /**
   * True when the events were found already stored at that place (a retried append) and nothing was
   * written now. The PostgreSQL store tells; EventStoreDB's idempotent appends do not, so it is left
   * out there.
   */
  replayed?: boolean;
}

export interface ReadStreamOptions {
  fromRevision?: bigint;
  toRevision?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position (a checkpoint is the last position handled). */
  after?: bigint;
  maxCount?: number;
}

export interface SubscribeOptions {
  after?: bigint;
  /** Ends the subscription; the iterator then finishes normally. */
  signal?: AbortSignal;
}

export type EventStoreKind = 'postgres' | 'eventstoredb';

export interface EventStore {
  readonly kind: EventStoreKind;
  append(stream: string, events: EventData[], expected: ExpectedRevision): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Catch-up from `after`, then live until the signal aborts. */
  subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** Position of the newest event a reader can see now (0n for an empty log). */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
