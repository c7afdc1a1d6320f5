import { Client } from 'pg';
import { runner } from 'node-pg-migrate';

/** A module's own migrations: a folder of `.sql` files and the table that records which ran. */
export interface MigrationSet {
  name: string;
  dir: string;
  /** Schema the files run in (their search_path); `public` unless a module owns its own. */
  schema?: string;
}

/** Our own lock: node-pg-migrate's only tries its lock and fails when another process holds it. */
const MIGRATION_LOCK = 7_105_322_014;

/**
 * Runs every set's pending migrations. Processes starting together wait for each other on an
 * advisory lock, and the later ones find nothing left to do.
 */
export async function runMigrations(databaseUrl: string, sets: MigrationSet[], schemaOverride?: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    for (const set of sets) {
      const schema = schemaOverride ?? set.schema ?? 'public';
      await runner({
        dbClient: client,
        dir: set.dir,
        migrationsTable: `migrations_${set.name}`,
        migrationsSchema: schemaOverride ?? 'public',
        schema,
        createSchema: true,
        direction: 'up',
        checkOrder: true,
        singleTransaction: true,
        noLock: true,
        log: () => undefined,
        logger: { debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error },
      });
    }
  } finally {
    await client.end(); // ends the session, and with it the lock
  }
}
