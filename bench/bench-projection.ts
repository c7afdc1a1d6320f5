import { join } from 'node:path';
import { PoolClient } from 'pg';
import { Projection } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';

/** A projection with the cost of a typical one: one upsert per event. */
export const benchProjection: Projection = {
  name: 'bench_counts',
  kind: 'projection',
  context: 'bench',
  eventTypes: ['Ticked'],
  migrations: { name: 'projection_bench_counts', dir: join(__dirname, 'migrations') },
  async process(client: PoolClient, events: RecordedEvent[]) {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.streamId, (counts.get(e.streamId) ?? 0) + 1);
    await client.query(
      `INSERT INTO bench_counts (stream_id, events) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (stream_id) DO UPDATE SET events = bench_counts.events + EXCLUDED.events`,
      [[...counts.keys()], [...counts.values()]],
    );
  },
};
