import { PoolClient } from 'pg';

/** Changes that end or narrow someone's access are announced on this channel; every process's auth cache empties itself on it. */
export const ACCESS_CHANGES_CHANNEL = 'streamplane_auth';

/**
 * Inside a projection's transaction: PostgreSQL delivers the notification when the transaction
 * commits, so no process hears of the change before the read model shows it.
 */
export async function announceAccessChange(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_notify($1, $2)', [ACCESS_CHANGES_CHANNEL, '']);
}
