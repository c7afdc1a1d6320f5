import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '@streamplane/testing';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore, RecordedEvent } from '@streamplane/eventstore';
import { runMigrations } from '../database/migrations';
import { logPositionSince } from './log-position-since';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('logPositionSince: where to read the log from to see every event since a time', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('log_since');
    await runMigrations(db.url, [EVENT_STORE_MIGRATIONS]);
    store = new PostgresEventStore(db.pool, db.url);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const append = async (stream: string, count: number) => {
    for (let i = 0; i < count; i++) await store.append(stream, [{ eventId: randomUUID(), type: 'Ticked', data: { i }, metadata: {} }], 'any');
  };
  const readAfter = async (after: bigint) => {
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll({ after })) events.push(event);
    return events;
  };

  it('answers 0 on an empty log, and for a time before its first event', async () => {
    expect(await logPositionSince(store, new Date())).toBe(0n);
    const before = new Date(Date.now() - 60_000);
    await append('old-1', 40);
    expect(await logPositionSince(store, before)).toBe(0n);
  });

  it('starts just before the first event since the time: everything since is read, at most one older event', async () => {
    await sleep(30);
    const since = new Date();
    await sleep(30);
    await append('new-1', 25);
    const after = await logPositionSince(store, since);
    expect(after).toBeGreaterThan(0n);
    const read = await readAfter(after);
    const older = read.filter((e) => e.recordedAt < since);
    expect(older.length).toBeLessThanOrEqual(1);
    expect(read.filter((e) => e.streamId === 'new-1')).toHaveLength(25);
    // Far fewer than the whole log: the 40 older events are skipped.
    expect(read.length).toBeLessThanOrEqual(26);
  });

  it('for a time after the head, reads only the last event', async () => {
    const after = await logPositionSince(store, new Date(Date.now() + 60_000));
    expect(await readAfter(after)).toHaveLength(1);
  });
});
