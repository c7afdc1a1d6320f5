import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { PG_POOL } from '@streamplane/core';
import { hashToken, newSecretToken } from './secret-token';

export type OneTimePurpose = 'verify' | 'reset';

const LIFETIME: Record<OneTimePurpose, string> = { verify: '48 hours', reset: '1 hour' };

/** Email verification and password reset tokens: random, hashed, single use, expiring. */
@Injectable()
export class OneTimeTokenStore {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async issue(userId: string, purpose: OneTimePurpose): Promise<string> {
    const { token, hash } = newSecretToken(purpose);
    await this.pool.query(
      `INSERT INTO one_time_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, now() + interval '${LIFETIME[purpose]}')`,
      [hash, userId, purpose],
    );
    return token;
  }

  /**
   * Uses the token up and returns its user, or undefined when it is unknown, used or expired. The
   * user's other tokens of the purpose are used up with it: once a reset went through (or the email
   * is verified), an older mail must not work any more.
   */
  async consume(token: string, purpose: OneTimePurpose, userId?: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ user_id: string }>(
      `WITH hit AS (
         SELECT user_id FROM one_time_tokens
          WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() AND ($3::uuid IS NULL OR user_id = $3)
          FOR UPDATE)
       UPDATE one_time_tokens t SET used_at = now() FROM hit
        WHERE t.user_id = hit.user_id AND t.purpose = $2 AND t.used_at IS NULL
        RETURNING t.user_id`,
      [hashToken(token), purpose, userId ?? null],
    );
    return rows[0]?.user_id;
  }

  /** Voids the user's outstanding tokens of a purpose (a new password makes pending reset mails void). */
  async voidAll(userId: string, purpose: OneTimePurpose): Promise<void> {
    await this.pool.query('UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL', [userId, purpose]);
  }

  async removeAll(userId: string): Promise<void> {
    await this.pool.query('DELETE FROM one_time_tokens WHERE user_id = $1', [userId]);
  }
}
