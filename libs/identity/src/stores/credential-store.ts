import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { Pool } from 'pg';
import { Counter } from 'prom-client';
import { MetricsService, PG_POOL } from '@streamplane/core';

/** Password hashes (argon2id), outside the log. */
@Injectable()
export class CredentialStore {
  /** Every argon2 verify, with or without an account: equal counts are how a test sees equal work. */
  private readonly verifications: Counter;
  /** A hash of nothing anyone knows, verified when there is no account, so unknown emails cost the same. */
  private dummyHash?: Promise<string>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    metrics: MetricsService,
  ) {
    this.verifications = new Counter({ name: 'streamplane_password_verifications_total', help: 'argon2 password verifications (unknown accounts included)', registers: [metrics.registry] });
  }

  async setPassword(userId: string, password: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO credentials (user_id, password_hash) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = now()`,
      [userId, await hash(password)],
    );
  }

  async matches(userId: string, password: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ password_hash: string }>('SELECT password_hash FROM credentials WHERE user_id = $1', [userId]);
    if (!rows[0]) return this.verifyWithoutAccount(password);
    this.verifications.inc();
    return verify(rows[0].password_hash, password);
  }

  /** The same argon2 work as a real check, always false: no answer time tells an unknown email apart. */
  async verifyWithoutAccount(password: string): Promise<false> {
    this.dummyHash ??= hash(`no account ${randomBytes(16).toString('hex')}`);
    this.verifications.inc();
    await verify(await this.dummyHash, password);
    return false;
  }

  async remove(userId: string): Promise<void> {
    await this.pool.query('DELETE FROM credentials WHERE user_id = $1', [userId]);
  }
}
