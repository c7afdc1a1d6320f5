import { Inject, Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { Pool } from 'pg';
import { PG_POOL } from '@streamplane/core';

/** Password hashes (argon2id), outside the log. */
@Injectable()
export class CredentialStore {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async setPassword(userId: string, password: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO credentials (user_id, password_hash) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = now()`,
      [userId, await hash(password)],
    );
  }

  async matches(userId: string, password: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ password_hash: string }>('SELECT password_hash FROM credentials WHERE user_id = $1', [userId]);
    return rows[0] ? verify(rows[0].password_hash, password) : false;
  }

  async remove(userId: string): Promise<void> {
    await this.pool.query('DELETE FROM credentials WHERE user_id = $1', [userId]);
  }
}
