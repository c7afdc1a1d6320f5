import { PoolClient } from 'pg';
import { RecordedEvent } from '@streamplane/eventstore';
import { MigrationSet } from '../database/migrations';

/**
 * Something that reads the log from its own checkpoint. `process` runs inside the transaction that
 * moves the checkpoint, so a crash anywhere neither loses nor repeats its work.
 */
export interface EventConsumer {
  name: string;
  kind: 'projection' | 'reactor';
  /** The context whose commands wait for it (read-your-writes). */
  context: string;
  /** Event types it cares about; the others only move its checkpoint. */
  eventTypes: readonly string[];
  process(client: PoolClient, events: RecordedEvent[]): Promise<void>;
}

/** A read model: its tables live in the `read` schema (the search_path while it runs). */
export interface Projection extends EventConsumer {
  kind: 'projection';
  /** Its table definitions; a rebuild runs them again into a fresh schema. */
  migrations: MigrationSet;
}

export const READ_SCHEMA = 'read';
