import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import { Clock, CLOCK, isoTime, PG_POOL } from '@streamplane/core';
import { hashToken, newSecretToken } from './secret-token';
import { AuthCache } from '../auth/auth-cache';
import { ServiceScope } from '../domain/service-scopes';

export type TokenKind = 'session' | 'api' | 'service';

export interface TokenOwner {
  tokenId: string;
  /** Null for a service token: it belongs to its workspace, not to a person. */
  userId: string | null;
  kind: TokenKind;
  workspaceId: string | null;
  scopes: ServiceScope[];
  expiresAt: Date | null;
}

export interface ServiceTokenView {
  id: string;
  name: string;
  scopes: ServiceScope[];
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

export interface ApiTokenView {
  id: string;
  name: string;
  workspace_id: string | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

/** How often the last-used times gathered in memory are written: not one write per request. */
const TOUCH_FLUSH_MS = 5000;

/** Session and API tokens, stored by hash (`auth_tokens`). */
@Injectable()
export class AuthTokenStore implements OnModuleDestroy {
  private readonly touched = new Map<string, Date>();
  private readonly flusher = setInterval(() => void this.flushTouches(), TOUCH_FLUSH_MS).unref();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly cache: AuthCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issue(userId: string, kind: TokenKind, options: { id?: string; name?: string; workspaceId?: string | null; expiresAt?: Date | null } = {}) {
    const id = options.id ?? randomUUID();
    const { token, hash } = newSecretToken(kind);
    await this.pool.query(
      'INSERT INTO auth_tokens (id, user_id, kind, name, workspace_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [id, userId, kind, options.name ?? null, options.workspaceId ?? null, hash, options.expiresAt ?? null],
    );
    return { id, token };
  }

  /** The owner of a live token, or undefined (unknown, revoked or expired). */
  async authenticate(token: string): Promise<TokenOwner | undefined> {
    const { rows } = await this.pool.query<{ id: string; user_id: string | null; kind: TokenKind; workspace_id: string | null; scopes: ServiceScope[] | null; expires_at: Date | null }>(
      `SELECT id, user_id, kind, workspace_id, scopes, expires_at FROM auth_tokens
        WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [hashToken(token)],
    );
    const row = rows[0];
    if (!row) return undefined;
    this.touch(row.id);
    return { tokenId: row.id, userId: row.user_id, kind: row.kind, workspaceId: row.workspace_id, scopes: row.scopes ?? [], expiresAt: row.expires_at };
  }

  /** Records a use of the token; written in batches, not per request. */
  touch(tokenId: string): void {
    this.touched.set(tokenId, this.clock.now());
  }

  async listApiTokens(userId: string): Promise<ApiTokenView[]> {
    await this.flushTouches();
    const { rows } = await this.pool.query<ApiTokenView>(
      `SELECT id, name, workspace_id, ${isoTime('created_at')} AS created_at, ${isoTime('last_used_at')} AS last_used_at,
              ${isoTime('expires_at')} AS expires_at
         FROM auth_tokens WHERE user_id = $1 AND kind = 'api' AND revoked_at IS NULL ORDER BY created_at, id`,
      [userId],
    );
    return rows;
  }

  async issueService(workspaceId: string, options: { id: string; name: string; scopes: ServiceScope[]; createdBy: string; expiresAt: Date | null }) {
    const { token, hash } = newSecretToken('service');
    await this.pool.query(
      `INSERT INTO auth_tokens (id, user_id, kind, name, workspace_id, token_hash, expires_at, scopes, created_by) VALUES ($1, NULL, 'service', $2, $3, $4, $5, $6, $7)`,
      [options.id, options.name, workspaceId, hash, options.expiresAt, options.scopes, options.createdBy],
    );
    return { id: options.id, token };
  }

  async listServiceTokens(workspaceId: string): Promise<ServiceTokenView[]> {
    await this.flushTouches();
    const { rows } = await this.pool.query<ServiceTokenView>(
      `SELECT id, name, scopes, created_by, ${isoTime('created_at')} AS created_at, ${isoTime('last_used_at')} AS last_used_at, ${isoTime('expires_at')} AS expires_at
         FROM auth_tokens WHERE workspace_id = $1 AND kind = 'service' AND revoked_at IS NULL ORDER BY created_at, id`,
      [workspaceId],
    );
    return rows;
  }

  async revoke(tokenId: string): Promise<void> {
    await this.pool.query('UPDATE auth_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [tokenId]);
    this.cache.invalidate();
  }

  /**
   * Every session and API token of the user, but the one kept (the session that changed the
   * password). One statement, so no token of the user outlives the call.
   */
  async revokeAll(userId: string, keepTokenId?: string): Promise<void> {
    await this.pool.query('UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2', [
      userId,
      keepTokenId ?? null,
    ]);
    this.cache.invalidate();
  }

  async flushTouches(): Promise<void> {
    if (this.touched.size === 0) return;
    const entries = [...this.touched.entries()];
    this.touched.clear();
    await this.pool
      .query(
        `UPDATE auth_tokens t SET last_used_at = greatest(t.last_used_at, u.at)
           FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at) WHERE t.id = u.id`,
        [entries.map(([id]) => id), entries.map(([, at]) => at)],
      )
      .catch(() => undefined); // a lost last-used time is not worth failing anything for
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.flusher);
    await this.flushTouches();
  }
}
