import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, EventCatalog, eventView, Projection } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The envelope of every event of the log (never its data, which the events API reads from the
 * store), indexed for the events API's filters per workspace. What an event is about, who did it
 * and when come from the same event view the API answers with, so a filter and the answer agree.
 */
@Injectable()
export class AuditEventsProjection implements Projection {
  readonly name = 'audit_events';
  readonly kind = 'projection' as const;
  readonly context = 'audit';
  readonly migrations = { name: 'projection_audit_events', dir: join(__dirname, 'migrations') };

  constructor(
    registry: ConsumerRegistry,
    private readonly catalog: EventCatalog,
  ) {
    registry.add(this);
  }

  /** Every kind of the catalogue: the audit log leaves nothing out. */
  get eventTypes(): readonly string[] {
    return this.catalog.types();
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const columns: string[][] = Array.from({ length: 16 }, () => []);
    for (const event of events) {
      const view = eventView(event, this.catalog);
      const row = [
        view.position,
        view.event_id,
        view.type,
        String(event.metadata.stored_version ?? view.event_version),
        view.stream_id,
        view.revision,
        text(event.metadata.workspace_id),
        view.target.type,
        view.target.id,
        view.actor.type,
        view.actor.id,
        view.metadata.correlation_id,
        view.metadata.causation_id,
        view.metadata.request_id,
        view.occurred_at,
        text(event.metadata.job_id),
      ];
      row.forEach((value, n) => columns[n].push(value as string));
    }
    await client.query(
      `INSERT INTO audit_events (position, event_id, type, stored_version, stream_id, revision, workspace_id, target_type, target_id, actor_type, actor_id,
                                 correlation_id, causation_id, request_id, occurred_at, job_id)
       SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                            $12::text[], $13::text[], $14::text[], $15::timestamptz[], $16::text[])
       ON CONFLICT (event_id) DO NOTHING`,
      columns,
    );
  }
}
