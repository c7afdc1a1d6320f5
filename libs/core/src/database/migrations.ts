import { Client } from 'pg';
import { runner } from 'node-pg-migrate';

/** A module's own migrations: a folder of `.sql` files and the table that records which ran. */
export interface MigrationSet {
  name: string;
  dir: string;
  /** Schema the files run in (their search_path); `public` unless a module owns its own. */
  schema?: string;
}

/**
 * Runs every set's pending migrations. node-pg-migrate holds an advisory lock per run, so two
 * processes starting together take turns, and a second run finds nothing to do.
 */
export async function runMigrations(databaseUrl: string, sets: MigrationSet[], schemaOverride?: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
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
        log: () => undefined,
        logger: { debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error },
      });
    }
  } finally {
    await client.end();
  }
}
