import { createTestDatabase, TestDatabase } from '@streamplane/testing';
import { EVENT_STORE_MIGRATIONS } from '@streamplane/eventstore';
import { CORE_MIGRATIONS } from './migrator';
import { runMigrations } from './migrations';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('migrations');
  });
  afterAll(() => db.drop());

  it('are safe from several processes at once and when run again', async () => {
    const sets = [EVENT_STORE_MIGRATIONS, CORE_MIGRATIONS];
    await Promise.all([runMigrations(db.url, sets), runMigrations(db.url, sets), runMigrations(db.url, sets)]);
    await runMigrations(db.url, sets);
    const { rows } = await db.pool.query(`SELECT name FROM migrations_core UNION ALL SELECT name FROM migrations_eventstore ORDER BY name`);
    expect(rows.map((r) => r.name)).toEqual(['1700000000000_events', '1700000000100_core']);
    const tables = await db.pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('events', 'projection_checkpoints', 'idempotency_keys')`);
    expect(tables.rowCount).toBe(3);
  });
});
