import { Pool, PoolClient } from 'pg';

export type ConsumerState = 'live' | 'parked' | 'rebuilding';

export interface Checkpoint {
  name: string;
  kind: string;
  position: bigint;
  state: ConsumerState;
  error: string | null;
  failedPosition: bigint | null;
  lastEventAt: Date | null;
  updatedAt: Date;
}

interface CheckpointRow {
  name: string;
  kind: string;
  position: string;
  state: ConsumerState;
  error: string | null;
  failed_position: string | null;
  last_event_at: Date | null;
  updated_at: Date;
}

const toCheckpoint = (row: CheckpointRow): Checkpoint => ({
  name: row.name,
  kind: row.kind,
  position: BigInt(row.position),
  state: row.state,
  error: row.error,
  failedPosition: row.failed_position === null ? null : BigInt(row.failed_position),
  lastEventAt: row.last_event_at,
  updatedAt: row.updated_at,
});

/** The `projection_checkpoints` table. */
export class CheckpointStore {
  constructor(private readonly pool: Pool) {}

  async ensure(name: string, kind: string): Promise<Checkpoint> {
    await this.pool.query('INSERT INTO projection_checkpoints (name, kind) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, kind]);
    return (await this.get(name))!;
  }

  /** Creates the missing checkpoints of these consumers and returns all of them, in one round trip each. */
  async ensureAll(consumers: ReadonlyArray<{ name: string; kind: string }>): Promise<Map<string, Checkpoint>> {
    const names = consumers.map((c) => c.name);
    await this.pool.query(
      'INSERT INTO projection_checkpoints (name, kind) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (name) DO NOTHING',
      [names, consumers.map((c) => c.kind)],
    );
    const { rows } = await this.pool.query<CheckpointRow>('SELECT * FROM projection_checkpoints WHERE name = ANY($1)', [names]);
    return new Map(rows.map((row) => [row.name, toCheckpoint(row)]));
  }

  async get(name: string): Promise<Checkpoint | undefined> {
    const { rows } = await this.pool.query<CheckpointRow>('SELECT * FROM projection_checkpoints WHERE name = $1', [name]);
    return rows[0] && toCheckpoint(rows[0]);
  }

  async list(): Promise<Checkpoint[]> {
    const { rows } = await this.pool.query<CheckpointRow>('SELECT * FROM projection_checkpoints ORDER BY name');
    return rows.map(toCheckpoint);
  }

  /** Locks the row until the transaction ends: one writer per consumer, across processes. */
  async lock(client: PoolClient, name: string): Promise<Checkpoint> {
    const { rows } = await client.query<CheckpointRow>('SELECT * FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [name]);
    return toCheckpoint(rows[0]);
  }

  async advance(client: PoolClient, name: string, position: bigint, lastEventAt: Date): Promise<void> {
    await client.query('UPDATE projection_checkpoints SET position = $2, last_event_at = $3, updated_at = now() WHERE name = $1', [
      name,
      position.toString(),
      lastEventAt,
    ]);
  }

  /**
   * Moves the checkpoints of consumers past events they ignore, all in one statement: no
   * transaction, no lock. Never backwards and never for a parked consumer, so it is safe beside a
   * running batch of another process.
   */
  async skipAhead(names: readonly string[], position: bigint, lastEventAt: Date): Promise<void> {
    if (names.length === 0) return;
    await this.pool.query(
      `UPDATE projection_checkpoints SET position = $2, last_event_at = $3, updated_at = now() WHERE name = ANY($1) AND position < $2 AND state <> 'parked'`,
      [names, position.toString(), lastEventAt],
    );
  }

  async park(name: string, error: string, position: bigint, eventId: string): Promise<void> {
    await this.pool.query(
      `UPDATE projection_checkpoints SET state = 'parked', error = $2, failed_position = $3, failed_event_id = $4, updated_at = now() WHERE name = $1`,
      [name, error.slice(0, 2000), position.toString(), eventId],
    );
  }

  async resume(name: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE projection_checkpoints SET state = 'live', error = NULL, failed_position = NULL, failed_event_id = NULL, updated_at = now() WHERE name = $1 AND state = 'parked'`,
      [name],
    );
    return rowCount === 1;
  }

  async setState(client: Pool | PoolClient, name: string, state: ConsumerState): Promise<void> {
    await client.query('UPDATE projection_checkpoints SET state = $2, updated_at = now() WHERE name = $1', [name, state]);
  }
}
