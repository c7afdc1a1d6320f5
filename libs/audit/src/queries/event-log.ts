import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { EventCatalog, EventView, eventView, inLanes, PG_POOL } from '@streamplane/core';
import { EVENT_STORE, EventStore, RecordedEvent } from '@streamplane/eventstore';

/** The events API's filters; every one given must hold. `workspaceId: null` is the whole log (platform admins). */
export interface EventQuery {
  workspaceId: string | null;
  /** One entity's stream (its history). */
  streamId?: string;
  types?: string[];
  targetType?: string;
  targetId?: string;
  actorId?: string;
  correlationId?: string;
  /** occurred_at ≥ since */
  since?: Date;
  /** occurred_at < until */
  until?: Date;
  /** Exclusive: events after this position. */
  after?: bigint;
  limit: number;
}

export interface EventPage {
  items: EventView[];
  /** The position to ask `after` for the next page; null when this page was the last. */
  next_after: string | null;
}

interface Located {
  stream_id: string;
  revision: string;
}

/** Streams read at once when a page's events come from the store. */
const READ_CONCURRENCY = 8;

/**
 * The events API's reads: the audit projection finds the events a filter selects (their
 * envelope, indexed), the store gives their data, upcast as every reader gets it, so an event is
 * shown exactly as the log and today's catalogue say.
 */
@Injectable()
export class EventLog {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalog: EventCatalog,
  ) {}

  async page(query: EventQuery): Promise<EventPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const holds = (condition: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (query.workspaceId !== null) holds((n) => `workspace_id = ${n}`, query.workspaceId);
    if (query.streamId !== undefined) holds((n) => `stream_id = ${n}`, query.streamId);
    if (query.types?.length) holds((n) => `type = ANY(${n}::text[])`, query.types);
    if (query.targetType !== undefined) holds((n) => `target_type = ${n}`, query.targetType);
    if (query.targetId !== undefined) holds((n) => `target_id = ${n}`, query.targetId);
    if (query.actorId !== undefined) holds((n) => `actor_id = ${n}`, query.actorId);
    if (query.correlationId !== undefined) holds((n) => `correlation_id = ${n}`, query.correlationId);
    if (query.since) holds((n) => `occurred_at >= ${n}`, query.since);
    if (query.until) holds((n) => `occurred_at < ${n}`, query.until);
    if (query.after !== undefined) holds((n) => `position > ${n}`, query.after.toString());
    params.push(query.limit);
    const { rows } = await this.pool.query<Located>(
      `SELECT stream_id, revision FROM read.audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY position LIMIT $${params.length}`,
      params,
    );
    const items = (await this.read(rows)).map((event) => eventView(event, this.catalog));
    return { items, next_after: items.length === query.limit ? items[items.length - 1].position : null };
  }

  /** One event of the workspace (or of the whole log); undefined for an id it does not hold. */
  async one(workspaceId: string | null, eventId: string): Promise<EventView | undefined> {
    const { rows } = await this.pool.query<Located>('SELECT stream_id, revision FROM read.audit_events WHERE event_id = $1 AND ($2::text IS NULL OR workspace_id = $2)', [
      eventId,
      workspaceId,
    ]);
    const [event] = await this.read(rows);
    return event && eventView(event, this.catalog);
  }

  /** The events at these places, in the given order; runs of one stream are read in one go. */
  private async read(places: Located[]): Promise<RecordedEvent[]> {
    const byStream = new Map<string, bigint[]>();
    for (const { stream_id, revision } of places) byStream.set(stream_id, [...(byStream.get(stream_id) ?? []), BigInt(revision)]);
    const found = new Map<string, RecordedEvent>();
    const read = await inLanes([...byStream.entries()], READ_CONCURRENCY, ([stream, revisions]) => this.readRevisions(stream, revisions));
    for (const event of read.flat()) found.set(`${event.streamId}@${event.revision}`, event);
    return places.map(({ stream_id, revision }) => found.get(`${stream_id}@${revision}`)).filter((event): event is RecordedEvent => event !== undefined);
  }

  /** A stream's events at these revisions: one read over their span when it is dense, else one read each. */
  private async readRevisions(stream: string, revisions: bigint[]): Promise<RecordedEvent[]> {
    const first = revisions.reduce((a, b) => (b < a ? b : a));
    const last = revisions.reduce((a, b) => (b > a ? b : a));
    const wanted = new Set(revisions);
    const spans: Array<[bigint, bigint]> = last - first + 1n <= BigInt(revisions.length * 4) ? [[first, last]] : revisions.map((r) => [r, r]);
    const events: RecordedEvent[] = [];
    for (const [from, to] of spans) {
      for await (const event of this.store.readStream(stream, { fromRevision: from, toRevision: to, maxCount: Number(to - from) + 1 })) {
        if (wanted.has(event.revision)) events.push(event);
      }
    }
    return events;
  }
}
