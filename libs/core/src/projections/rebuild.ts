import { Pool, PoolClient } from 'pg';
import { EventStore, RecordedEvent } from '@streamplane/eventstore';
import { quoteIdentifier } from '../database/ensure-database';
import { runMigrations } from '../database/migrations';
import { inTransaction } from '../database/transaction';
import { applyEvents } from './apply-events';
import { batches } from './batches';
import { CheckpointStore } from './checkpoint-store';
import { Projection, READ_SCHEMA } from './event-consumer';

export interface RebuildDependencies {
  pool: Pool;
  store: EventStore;
  checkpoints: CheckpointStore;
  databaseUrl: string;
}

export interface RebuildReport {
  projection: string;
  events: number;
  seconds: number;
  /** Whether the rebuilt tables held exactly the live rows (before they replaced them). */
  equal: boolean;
  /** Per table: rows only in one of the two. */
  differences: Record<string, number>;
  position: string;
}

/**
 * Rebuilds a read model from position 0 into a fresh schema (the projection's own migrations, run
 * again there), catches up under the live checkpoint's lock, compares both row for row, then swaps
 * the new tables in. Live reads keep using the old tables until that last short transaction.
 */
export async function rebuildProjection(
  deps: RebuildDependencies,
  projection: Projection,
  options: { batchSize: number; onProgress?: (applied: number, position: bigint) => void },
): Promise<RebuildReport> {
  const started = Date.now();
  const shadow = `rebuild_${projection.name.replace(/[^a-z0-9_]/gi, '_')}`;
  await deps.checkpoints.ensure(projection.name, projection.kind);
  await deps.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(shadow)} CASCADE`);
  await runMigrations(deps.databaseUrl, [projection.migrations], shadow);
  await deps.checkpoints.setState(deps.pool, projection.name, 'rebuilding');

  let position = 0n;
  let applied = 0;
  for await (const batch of batches(deps.store.readAll({ after: 0n }), options.batchSize)) {
    await inTransaction(deps.pool, (client) => applyEvents(client, projection, batch, shadow));
    position = batch[batch.length - 1].position;
    applied += batch.length;
    options.onProgress?.(applied, position);
  }

  const { equal, differences, finalPosition } = await inTransaction(deps.pool, async (client) => {
    const live = await deps.checkpoints.lock(client, projection.name);
    // Bring whichever side is behind to the other's position, so the comparison is fair.
    if (position < live.position) {
      applied += await applyRange(client, deps.store, projection, position, live.position, shadow);
      position = live.position;
    } else if (position > live.position) {
      await applyRange(client, deps.store, projection, live.position, position, READ_SCHEMA);
    }
    const tables = await shadowTables(client, shadow);
    const differences: Record<string, number> = {};
    for (const table of tables) differences[table] = await countDifferences(client, shadow, table);
    for (const table of tables) {
      await client.query(`DROP TABLE IF EXISTS ${READ_SCHEMA}.${quoteIdentifier(table)} CASCADE`);
      await client.query(`ALTER TABLE ${quoteIdentifier(shadow)}.${quoteIdentifier(table)} SET SCHEMA ${READ_SCHEMA}`);
    }
    await client.query(
      `UPDATE projection_checkpoints SET position = $2, state = 'live', error = NULL, failed_position = NULL, failed_event_id = NULL, updated_at = now() WHERE name = $1`,
      [projection.name, position.toString()],
    );
    return { equal: Object.values(differences).every((n) => n === 0), differences, finalPosition: position };
  });
  await deps.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(shadow)} CASCADE`);
  return { projection: projection.name, events: applied, seconds: (Date.now() - started) / 1000, equal, differences, position: finalPosition.toString() };
}

async function applyRange(client: PoolClient, store: EventStore, projection: Projection, after: bigint, until: bigint, schema: string): Promise<number> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll({ after })) {
    if (event.position > until) break;
    events.push(event);
  }
  await applyEvents(client, projection, events, schema);
  return events.length;
}

async function shadowTables(client: PoolClient, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'migrations_%' ORDER BY table_name`,
    [schema],
  );
  return rows.map((r) => r.table_name);
}

async function countDifferences(client: PoolClient, shadow: string, table: string): Promise<number> {
  const live = `${READ_SCHEMA}.${quoteIdentifier(table)}`;
  const rebuilt = `${quoteIdentifier(shadow)}.${quoteIdentifier(table)}`;
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM ((TABLE ${live} EXCEPT ALL TABLE ${rebuilt}) UNION ALL (TABLE ${rebuilt} EXCEPT ALL TABLE ${live})) AS d`,
  );
  return Number(rows[0].n);
}
