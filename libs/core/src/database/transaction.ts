import { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one transaction on a client of its own. A client whose transaction failed is
 * handed back as broken, so the pool closes it rather than lending out a connection that the
 * server may have dropped.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(failure);
  }
}
