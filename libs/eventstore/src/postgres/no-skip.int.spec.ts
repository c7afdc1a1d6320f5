import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '@streamplane/testing';
import { runMigrations } from '@streamplane/core/database/migrations';
import { EVENT_STORE_MIGRATIONS } from '../index';
import { EventData, RecordedEvent } from '../event-store';
import { PostgresEventStore } from './postgres-event-store';

const FAST_APPENDERS = 8;
const APPENDS_PER_FAST_APPENDER = 300;
const SLOW_APPENDERS = 4;
const APPENDS_PER_SLOW_APPENDER = 40;

const newEvent = (): EventData => ({ eventId: randomUUID(), type: 'Ticked', data: {}, metadata: {} });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The rule of DESIGN.md §3: no reader may ever skip an event, even when transactions commit out
 * of position order. Slow appenders take their transaction id (and so their position) first and
 * commit late, while fast appenders on their own pools (as separate processes would) commit
 * around them.
 */
describe('PostgreSQL event store: no reader skips an event', () => {
  let db: TestDatabase;
  const pools: Pool[] = [];
  const stores: PostgresEventStore[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('no_skip');
    await runMigrations(db.url, [EVENT_STORE_MIGRATIONS]);
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });

  function newPool(max: number): Pool {
    const pool = new Pool({ connectionString: db.url, max });
    pool.on('error', () => undefined); // the database is dropped under idle connections at the end
    pools.push(pool);
    return pool;
  }

  function storeOn(pool: Pool): PostgresEventStore {
    const store = new PostgresEventStore(pool, db.url);
    stores.push(store);
    return store;
  }

  it('a live subscriber and a catch-up reader see every event exactly once, in position order', async () => {
    const written = new Set<string>();
    const commitOrder: bigint[] = [];

    const fast = Array.from({ length: FAST_APPENDERS }, async (_, n) => {
      const pool = newPool(2);
      const store = storeOn(pool);
      for (let i = 0; i < APPENDS_PER_FAST_APPENDER; i++) {
        const events = Array.from({ length: 1 + (i % 3) }, newEvent);
        const result = await store.append(`tick-${n}`, events, 'any');
        events.forEach((e) => written.add(e.eventId));
        commitOrder.push(result.position);
      }
    });

    const slow = Array.from({ length: SLOW_APPENDERS }, async (_, n) => {
      const pool = newPool(1);
      for (let i = 0; i < APPENDS_PER_SLOW_APPENDER; i++) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('SELECT pg_current_xact_id()'); // fixes this transaction's positions now
          await sleep(5 + ((n * 7 + i * 13) % 25));
          const events = [newEvent(), newEvent()];
          const result = await storeOn(client as unknown as Pool).append(`slow-${n}`, events, 'any');
          await client.query('COMMIT');
          events.forEach((e) => written.add(e.eventId));
          commitOrder.push(result.position);
        } finally {
          client.release();
        }
      }
    });

    const subscriberPool = newPool(2);
    const controller = new AbortController();
    const live: RecordedEvent[] = [];
    const subscribing = (async () => {
      for await (const e of storeOn(subscriberPool).subscribeToAll({ signal: controller.signal })) live.push(e);
    })();

    await Promise.all([...fast, ...slow]);
    const expected = written.size;
    for (let waited = 0; live.length < expected && waited < 20_000; waited += 20) await sleep(20);
    controller.abort();
    await subscribing;

    const caughtUp: RecordedEvent[] = [];
    for await (const e of storeOn(subscriberPool).readAll()) caughtUp.push(e);

    // The scenario really had commits out of position order.
    const outOfOrder = commitOrder.filter((position, i) => i > 0 && position < commitOrder[i - 1]).length;
    expect(outOfOrder).toBeGreaterThan(0);
    expect(expected).toBeGreaterThan(4000);

    for (const seen of [live, caughtUp]) {
      expect(seen).toHaveLength(expected);
      expect(new Set(seen.map((e) => e.eventId))).toEqual(written);
      expect(seen.every((e, i) => i === 0 || e.position > seen[i - 1].position)).toBe(true);
    }
  });
});
