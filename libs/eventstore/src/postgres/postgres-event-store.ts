import { DatabaseError, Pool } from 'pg';
import { WrongExpectedRevisionError, EventIdConflictError } from '../errors';
import {
  AppendResult,
  EventData,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store';
import { GroupCommitter } from './group-committer';
import { PgWakeUp } from './pg-wake-up';
import { EVENT_COLUMNS, EventRow, VISIBLE_FRONTIER, toRecordedEvent } from './event-rows';

const PAGE_SIZE = 1000;
const MAX_EVENTS_PER_APPEND = 1 << 20; // the index part of a position has 20 bits
const CONCURRENT_APPEND_RETRIES = 20;
/** How soon to look again when newer commits wait behind a transaction that is still running. */
const BLOCKED_RECHECK_MS = 5;
/** Safety net for a lost NOTIFY; normal wake-ups come from LISTEN/NOTIFY. */
const IDLE_RECHECK_MS = 2000;
/** How long readAll waits for an older transaction anywhere in the cluster before returning what is settled. */
const READ_ALL_SETTLE_MS = 5000;

/** The embedded event store: one `events` table in PostgreSQL (see the events migration). */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private readonly wakeUp: PgWakeUp;
  private readonly committer: GroupCommitter;

  constructor(
    private readonly pool: Pool,
    connectionString: string,
  ) {
    this.wakeUp = new PgWakeUp(pool, connectionString);
    this.committer = new GroupCommitter(pool);
  }

  async append(stream: string, events: EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length > MAX_EVENTS_PER_APPEND) throw new RangeError(`at most ${MAX_EVENTS_PER_APPEND} events per append`);
    if (events.length === 0) return this.emptyAppend(stream, expected);
    for (let attempt = 0; ; attempt++) {
      try {
        const rows = await this.tryAppend(stream, events, expected);
        if (rows.length > 0) {
          this.wakeUp.poke();
          const last = rows[rows.length - 1];
          return { nextRevision: BigInt(last.revision), position: BigInt(last.position) };
        }
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Another writer took the same revision: `any` and `stream_exists` just go again.
        const racing = error.constraint === 'events_stream_revision_key';
        if (racing && (expected === 'any' || expected === 'stream_exists') && attempt < CONCURRENT_APPEND_RETRIES) continue;
      }
      return this.resolveRejectedAppend(stream, events, expected);
    }
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let from = options.fromRevision ?? (backwards ? BigInt(Number.MAX_SAFE_INTEGER) : 0n);
    const to = options.toRevision ?? (backwards ? 0n : BigInt(Number.MAX_SAFE_INTEGER));
    const sql = backwards
      ? `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND revision <= $2 AND revision >= $3 ORDER BY revision DESC LIMIT $4`
      : `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND revision >= $2 AND revision <= $3 ORDER BY revision LIMIT $4`;
    while (remaining > 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const { rows } = await this.pool.query<EventRow>(sql, [stream, from.toString(), to.toString(), limit]);
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      const last = BigInt(rows[rows.length - 1].revision);
      from = backwards ? last - 1n : last + 1n;
    }
  }

  /**
   * Everything committed before the call, in position order. The frontier is the oldest running
   * transaction of the whole PostgreSQL cluster, so a slow transaction elsewhere can hold back
   * events that are already committed; readAll waits a little for it rather than return less
   * than was written before it was called (it never skips: a later read goes on from there).
   */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let after = options.after ?? 0n;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const target = await this.newestCommittedPosition();
    const settleBy = Date.now() + READ_ALL_SETTLE_MS;
    while (remaining > 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const page = await this.readPageAfter(after, limit);
      for (const event of page) yield event;
      remaining -= page.length;
      if (page.length) after = page[page.length - 1].position;
      if (page.length === limit) continue;
      if (after >= target || Date.now() > settleBy) return;
      await new Promise((resolve) => setTimeout(resolve, BLOCKED_RECHECK_MS));
    }
  }

  async *subscribeToAll({ after = 0n, signal }: SubscribeOptions): AsyncIterable<RecordedEvent> {
    const waiter = await this.wakeUp.register();
    try {
      let cursor = after;
      while (!signal?.aborted) {
        waiter.clear();
        const page = await this.readPageAfter(cursor, PAGE_SIZE);
        for (const event of page) {
          yield event;
          cursor = event.position;
          if (signal?.aborted) return;
        }
        if (page.length === PAGE_SIZE) continue;
        const blocked = await this.hasEventsAfter(cursor);
        await waiter.wait(blocked ? BLOCKED_RECHECK_MS : IDLE_RECHECK_MS, signal);
      }
    } finally {
      waiter.dispose();
    }
  }

  async headPosition(): Promise<bigint> {
    const { rows } = await this.pool.query<{ position: string | null }>(
      `SELECT max(position) AS position FROM events WHERE position < ${VISIBLE_FRONTIER}`,
    );
    return rows[0].position === null ? 0n : BigInt(rows[0].position);
  }

  async close(): Promise<void> {
    await this.wakeUp.close();
  }

  private async tryAppend(stream: string, events: EventData[], expected: ExpectedRevision) {
    const rows = await this.committer.submit({ stream, events, expected });
    return rows.sort((a, b) => Number(BigInt(a.revision) - BigInt(b.revision)));
  }

  /**
   * The append wrote nothing. If exactly these events are already stored at that place, it is a
   * retry of an append that succeeded, and succeeds again; otherwise the expectation failed.
   */
  private async resolveRejectedAppend(stream: string, events: EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    const ids = events.map((e) => e.eventId);
    const { rows } = await this.pool.query<{ event_id: string; stream_id: string; revision: string; position: string }>(
      'SELECT event_id, stream_id, revision, position FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY revision',
      [ids],
    );
    if (rows.length > 0) {
      const byId = new Map(rows.map((row) => [row.event_id, row]));
      const stored = ids.map((id) => byId.get(id));
      const first = stored[0];
      const sameAppend =
        first !== undefined &&
        stored.every((row, i) => row && row.stream_id === stream && BigInt(row.revision) === BigInt(first.revision) + BigInt(i)) &&
        startsWhereExpected(BigInt(first.revision), expected);
      if (!sameAppend) throw new EventIdConflictError(stream, rows.map((row) => row.event_id));
      const last = stored[stored.length - 1]!;
      return { nextRevision: BigInt(last.revision), position: BigInt(last.position), replayed: true };
    }
    throw new WrongExpectedRevisionError(stream, expected, await this.streamRevision(stream));
  }

  private async emptyAppend(stream: string, expected: ExpectedRevision): Promise<AppendResult> {
    const actual = await this.streamRevision(stream);
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && actual === 'none') ||
      (expected === 'stream_exists' && actual !== 'none') ||
      expected === actual;
    if (!ok) throw new WrongExpectedRevisionError(stream, expected, actual);
    return { nextRevision: actual === 'none' ? -1n : actual, position: await this.headPosition() };
  }

  private async streamRevision(stream: string): Promise<bigint | 'none'> {
    const { rows } = await this.pool.query<{ revision: string | null }>(
      'SELECT max(revision) AS revision FROM events WHERE stream_id = $1',
      [stream],
    );
    return rows[0].revision === null ? 'none' : BigInt(rows[0].revision);
  }

  private async readPageAfter(after: bigint, limit: number): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > $1 AND position < ${VISIBLE_FRONTIER} ORDER BY position LIMIT $2`,
      [after.toString(), limit],
    );
    return rows.map(toRecordedEvent);
  }

  private async newestCommittedPosition(): Promise<bigint> {
    const { rows } = await this.pool.query<{ position: string | null }>('SELECT max(position) AS position FROM events');
    return rows[0].position === null ? 0n : BigInt(rows[0].position);
  }

  private async hasEventsAfter(position: bigint): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM events WHERE position > $1 LIMIT 1', [position.toString()]);
    return rows.length > 0;
  }
}

function startsWhereExpected(firstRevision: bigint, expected: ExpectedRevision): boolean {
  if (expected === 'no_stream') return firstRevision === 0n;
  if (expected === 'stream_exists') return firstRevision > 0n;
  if (typeof expected === 'bigint') return firstRevision === expected + 1n;
  return true;
}

function isUniqueViolation(error: unknown): error is DatabaseError {
  return error instanceof DatabaseError && error.code === '23505';
}
