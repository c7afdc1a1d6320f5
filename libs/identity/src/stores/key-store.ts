import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { PG_POOL } from '@streamplane/core';
import { decryptWith, encryptWith, newKey } from '../crypto/personal-data';

/** Per-user keys for personal data in events (the `user_keys` table). */
@Injectable()
export class KeyStore {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async seal(userId: string, plaintext: string): Promise<string> {
    await this.pool.query('INSERT INTO user_keys (user_id, key) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING', [userId, newKey()]);
    return encryptWith((await this.keyOf(this.pool, userId))!, plaintext);
  }

  /** Inside a projection's transaction too, hence the client parameter. */
  async open(client: Pool | PoolClient, userId: string, sealed: string): Promise<string | null> {
    return decryptWith(await this.keyOf(client, userId), sealed);
  }

  /** Crypto-shredding: without the key, every sealed value of the user is noise, in the log and everywhere else. */
  async shred(userId: string): Promise<void> {
    await this.pool.query('DELETE FROM user_keys WHERE user_id = $1', [userId]);
  }

  private async keyOf(client: Pool | PoolClient, userId: string): Promise<Buffer | undefined> {
    const { rows } = await client.query<{ key: Buffer }>('SELECT key FROM public.user_keys WHERE user_id = $1', [userId]);
    return rows[0]?.key;
  }
}
