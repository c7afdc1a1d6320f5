import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { CheckpointStore, CORE_MIGRATIONS, LogTail, rebuildProjection, runMigrations } from '@streamplane/core';
import { EVENT_STORE_MIGRATIONS, EventData, PostgresEventStore } from '@streamplane/eventstore';
import { createTestDatabase } from '@streamplane/testing';
import { benchProjection } from './bench-projection';
import { BenchSection, fmt, percentile, printRows, rate, SECONDS } from './measure';

const CONCURRENCY = 16;
const BATCH = 100;

const tick = (): EventData => ({ eventId: randomUUID(), type: 'Ticked', data: { at: Date.now() }, metadata: { event_version: 1 } });

/**
 * The event store and the projector against raw single-row INSERTs into the same PostgreSQL, all
 * measured in this one run (absolute numbers drift between machines; ratios less).
 */
export async function benchEventStore(): Promise<BenchSection> {
  const db = await createTestDatabase('bench');
  try {
    await runMigrations(db.url, [EVENT_STORE_MIGRATIONS, CORE_MIGRATIONS, { ...benchProjection.migrations, schema: 'read' }]);
    await db.pool.query('CREATE TABLE bench_raw (id bigserial PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL)');
    const pool = new Pool({ connectionString: db.url, max: CONCURRENCY + 4 });
    const store = new PostgresEventStore(pool, db.url);
    const raw = (client: number) => pool.query('INSERT INTO bench_raw (stream_id, data) VALUES ($1, $2)', [`raw-${client}`, JSON.stringify({ at: Date.now() })]);
    const appendOne = (stream: string, i: number) => store.append(stream, [tick()], i === 0 ? 'no_stream' : BigInt(i - 1));

    const rawSingle = await rate(1, SECONDS, (c) => raw(c).then(() => 1));
    const appendSingle = await rate(1, SECONDS, (_, i) => appendOne(`single-${randomUUID()}`, 0).then(() => 1 + 0 * i));
    const raw16 = await rate(CONCURRENCY, SECONDS, (c) => raw(c).then(() => 1));

    const append16 = await rate(CONCURRENCY, SECONDS, (c, i) => appendOne(`alone-${c}`, i).then(() => 1));

    // The same load again with the projector following it, to measure its lag under that load.
    // Lag of each event: from its recorded time (taken in the insert, just before commit) to the
    // commit of the batch that applied it.
    const lags: number[] = [];
    let measuring = false;
    const runner = new LogTail([benchProjection], store, pool, new CheckpointStore(pool), {
      batchSize: 500,
      retryDelaysMs: [100],
      onBatchApplied: (_c, events) => {
        const now = Date.now();
        if (measuring) for (const event of events) lags.push(now - event.recordedAt.getTime());
      },
    });
    runner.start();
    const streams = Array.from({ length: CONCURRENCY }, () => `tick-${randomUUID()}`);
    await waitForProjection(pool, await store.headPosition()); // catch up on the earlier phases first
    measuring = true;
    const append16Projected = await rate(CONCURRENCY, SECONDS, (c, i) => appendOne(streams[c], i).then(() => 1));
    await waitForProjection(pool, await store.headPosition());
    measuring = false;
    const batched = await rate(1, SECONDS, async (_, i) => {
      await store.append('batched', Array.from({ length: BATCH }, tick), i === 0 ? 'no_stream' : BigInt(i * BATCH - 1));
      return BATCH;
    });
    await waitForProjection(pool, await store.headPosition());
    await runner.stop();

    const replay = await rebuildProjection({ pool, store, checkpoints: new CheckpointStore(pool), databaseUrl: db.url }, benchProjection, { batchSize: 1000 });

    const rows = [
      ['raw INSERT, 1 client (baseline)', rawSingle, 1, 'rows/s'],
      ['append 1 event, 1 client', appendSingle, appendSingle / rawSingle, 'events/s'],
      [`raw INSERT, ${CONCURRENCY} clients (baseline)`, raw16, 1, 'rows/s'],
      [`append 1 event, ${CONCURRENCY} concurrent streams`, append16, append16 / raw16, 'events/s'],
      [`  the same, with the projector following`, append16Projected, append16Projected / raw16, 'events/s'],
      [`append batches of ${BATCH}, 1 client`, batched, batched / rawSingle, 'events/s'],
      ['replay (rebuild into fresh tables)', replay.events / replay.seconds, NaN, 'events/s'],
    ] as const;
    printRows(rows);
    const lag = { p50: percentile(lags, 50), p99: percentile(lags, 99), samples: lags.length };
    console.log(`projection lag under the ${CONCURRENCY}-stream load: p50 ${fmt(lag.p50, 1)} ms, p99 ${fmt(lag.p99, 1)} ms (${lag.samples} events)`);
    console.log(`replay: ${replay.events} events in ${fmt(replay.seconds, 2)} s, rebuilt read model equal to live: ${replay.equal}`);
    await store.close();
    await pool.end();
    return { rows: rows.map(([name, value, ratio, unit]) => ({ name, value, ratio, unit })), extra: { lag, replay } };
  } finally {
    await db.drop();
  }
}

async function waitForProjection(pool: Pool, position: bigint) {
  const checkpoints = new CheckpointStore(pool);
  while (((await checkpoints.get(benchProjection.name))?.position ?? 0n) < position) await new Promise((r) => setTimeout(r, 10));
}
