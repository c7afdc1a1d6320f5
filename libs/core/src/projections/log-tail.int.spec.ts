import { randomUUID } from 'node:crypto';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore, RecordedEvent } from '@streamplane/eventstore';
import { createTestDatabase, TestDatabase } from '@streamplane/testing';
import { CORE_MIGRATIONS } from '../database/migrator';
import { runMigrations } from '../database/migrations';
import { CheckpointStore } from './checkpoint-store';
import { EventConsumer } from './event-consumer';
import { LogTail } from './log-tail';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A consumer that records what it saw, taking `delayMs` per batch. */
function recorder(name: string, delayMs: number): EventConsumer & { seen: string[] } {
  const seen: string[] = [];
  return {
    name,
    kind: 'reactor',
    context: 'test',
    eventTypes: ['Ticked'],
    seen,
    async process(_client, events: RecordedEvent[]) {
      await sleep(delayMs);
      seen.push(...events.map((e) => e.eventId));
    },
  };
}

describe('LogTail', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase('log_tail');
    await runMigrations(db.url, [EVENT_STORE_MIGRATIONS, CORE_MIGRATIONS]);
    store = new PostgresEventStore(db.pool, db.url);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('lets a fast consumer run ahead of a slow one, and each still sees every event once, in order', async () => {
    const fast = recorder('fast', 0);
    const slow = recorder('slow', 150);
    const checkpoints = new CheckpointStore(db.pool);
    // Batches of one: the slow consumer falls a batch further behind with every event.
    const tail = new LogTail([fast, slow], store, db.pool, checkpoints, { batchSize: 1, retryDelaysMs: [] });
    tail.start();
    const ids: string[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        const eventId = randomUUID();
        ids.push(eventId);
        await store.append(`tick-${i}`, [{ eventId, type: 'Ticked', data: { i }, metadata: {} }], 'no_stream');
      }
      const deadline = Date.now() + 10_000;
      while (fast.seen.length < ids.length && Date.now() < deadline) await sleep(10);
      expect(fast.seen).toEqual(ids);
      // The slow one (150 ms a batch) is still working through its queue; in lockstep (every
      // consumer done with a batch before the next is read) it would be one event behind at most.
      expect(slow.seen.length).toBeLessThanOrEqual(ids.length - 3);
      while (slow.seen.length < ids.length && Date.now() < deadline) await sleep(20);
      expect(slow.seen).toEqual(ids);
    } finally {
      await tail.stop();
    }
    const head = await store.headPosition();
    expect((await checkpoints.get('fast'))!.position).toBe(head);
    expect((await checkpoints.get('slow'))!.position).toBe(head);
  });

  it('drops queued work when stopped, and a restarted tail carries on from the checkpoints: every event seen exactly once', async () => {
    const slow = recorder('slow-restart', 100);
    const checkpoints = new CheckpointStore(db.pool);
    const first = new LogTail([slow], store, db.pool, checkpoints, { batchSize: 1, retryDelaysMs: [] });
    first.start();
    for (let i = 0; i < 5; i++) await store.append(`restart-${i}`, [{ eventId: randomUUID(), type: 'Ticked', data: { i }, metadata: {} }], 'no_stream');
    await sleep(150);
    await first.stop();
    const stoppedAt = (await checkpoints.get('slow-restart'))!.position;
    const again = recorder('slow-restart', 0);
    const second = new LogTail([again], store, db.pool, checkpoints, { batchSize: 100, retryDelaysMs: [] });
    second.start();
    const head = await store.headPosition();
    const deadline = Date.now() + 10_000;
    while ((await checkpoints.get('slow-restart'))!.position < head && Date.now() < deadline) await sleep(20);
    await second.stop();
    // Together the two runs saw each event exactly once.
    const all = [...slow.seen, ...again.seen];
    expect(new Set(all).size).toBe(all.length);
    expect(stoppedAt).toBeLessThan(head);
    expect((await checkpoints.get('slow-restart'))!.position).toBe(head);
  });
});
