import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { PG_POOL } from '../database/database.providers';

export interface StoredResponse {
  code: number;
  headers: Record<string, string>;
  body: unknown;
}

export type Claim =
  | { outcome: 'new' }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'mismatch' }
  | { outcome: 'in_progress' };

/**
 * A claim older than this belongs to a request that died; a retry may take it over. Taking over a
 * claim whose request is in fact still running is safe: both derive the same entity and event
 * ids from the key, so the store writes once and the later one answers with what was written.
 */
const ABANDONED_AFTER = '10 seconds';

/** The `idempotency_keys` table: per principal and key, the request's fingerprint and first answer. */
@Injectable()
export class IdempotencyStore {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async claim(principal: string, key: string, fingerprint: string): Promise<Claim> {
    const inserted = await this.pool.query(
      `INSERT INTO idempotency_keys (principal, key, fingerprint, status) VALUES ($1, $2, $3, 'in_progress')
       ON CONFLICT (principal, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, created_at = now()
         WHERE idempotency_keys.status = 'in_progress' AND idempotency_keys.created_at < now() - interval '${ABANDONED_AFTER}'
       RETURNING key`,
      [principal, key, fingerprint],
    );
    if (inserted.rowCount) return { outcome: 'new' };
    const { rows } = await this.pool.query(
      'SELECT fingerprint, status, response_code, response_headers, response_body FROM idempotency_keys WHERE principal = $1 AND key = $2',
      [principal, key],
    );
    const row = rows[0];
    if (!row) return this.claim(principal, key, fingerprint); // released in between
    if (row.fingerprint !== fingerprint) return { outcome: 'mismatch' };
    if (row.status === 'in_progress') return { outcome: 'in_progress' };
    return { outcome: 'replay', response: { code: row.response_code, headers: row.response_headers, body: row.response_body } };
  }

  async complete(principal: string, key: string, response: StoredResponse): Promise<void> {
    await this.pool.query(
      `UPDATE idempotency_keys SET status = 'completed', response_code = $3, response_headers = $4, response_body = $5 WHERE principal = $1 AND key = $2`,
      [principal, key, response.code, JSON.stringify(response.headers), JSON.stringify(response.body ?? null)],
    );
  }

  /** Failed requests are not remembered: a retry runs again (its event ids are still derived from the key). */
  async release(principal: string, key: string): Promise<void> {
    await this.pool.query(`DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND status = 'in_progress'`, [principal, key]);
  }
}
