import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { EVENT_STORE, EventStore, RecordedEvent } from '@streamplane/eventstore';
import { PG_POOL } from '../database/database.providers';
import { applyEvents } from './apply-events';
import { EventConsumer, READ_SCHEMA } from './event-consumer';

/** Where a read runs: the pool for the live read, a client inside a time-travel transaction. */
export type Queryable = Pool | PoolClient;

/** A point in an entity's past: a log position, or a time (`occurred_at`). */
export type AsOf = { position: bigint } | { time: Date };

/** The entity's own events up to the point, in order: its stream read until the first event after it. */
export async function eventsAsOf(store: EventStore, stream: string, point: AsOf): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) {
    const after = 'position' in point ? event.position > point.position : new Date(String(event.metadata.occurred_at ?? event.recordedAt.toISOString())) > point.time;
    if (after) break;
    events.push(event);
  }
  return events;
}

/** One entity's past read: its stream, the point, which rows to clear, and the live query to read them with. */
export interface PastRead<T> {
  /** The workspace asking: another workspace's entity is never replayed (its live rows would be cleared and locked). */
  workspaceId: string;
  stream: string;
  point: AsOf;
  clear: (client: PoolClient) => Promise<unknown>;
  read: (client: PoolClient) => Promise<T | undefined>;
}

/**
 * The live read of an entity as it was at a point: its rows are cleared and rebuilt by the
 * projection's own handlers from the entity's events up to there, then read by the live query,
 * inside a transaction that is always rolled back. The same row logic as the live read model, so
 * the past cannot be shown in another shape. Undefined when the entity had no events yet. The
 * cleared rows stay locked until the rollback (a live update of that entity waits that long).
 */
@Injectable()
export class PastReads {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async read<T>(projection: EventConsumer, past: PastRead<T>): Promise<T | undefined> {
    const events = await eventsAsOf(this.store, past.stream, past.point);
    if (events.length === 0 || events[0].metadata.workspace_id !== past.workspaceId) return undefined;
    const client = await this.pool.connect();
    let failure: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL search_path TO "${READ_SCHEMA}", public`);
      await past.clear(client);
      await applyEvents(client, projection, events, READ_SCHEMA);
      return await past.read(client);
    } catch (error) {
      failure = error as Error;
      throw error;
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      // As inTransaction does: a connection that failed mid-read is closed, not lent out again.
      client.release(failure);
    }
  }
}
