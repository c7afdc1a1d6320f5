import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, ConsistencyService, PG_POOL } from '@streamplane/core';
import { PgWakeUp } from '@streamplane/eventstore';
import { MemberRole } from '../domain/roles';
import { ACCESS_CHANGES_CHANNEL } from './access-changes';
import { Principal } from './principal';

/** A safety net: even without a notification, nothing cached is older than this. */
const MAX_AGE_MS = 30_000;

interface CachedPrincipal {
  principal: Principal;
  /** The token's own expiry, checked on every hit. */
  expiresAt: number | null;
  cachedAt: number;
}

/**
 * Token → principal and (workspace, user) → role, kept in this process so that authentication
 * and tenancy cost no round trip in the common case. Every change that could end or narrow
 * access empties it: here at once (a revocation made by this process, or a command of the
 * identity context once its read models hold it), in every other process through NOTIFY on
 * ACCESS_CHANGES_CHANNEL within milliseconds, and after a lost listening connection.
 */
@Injectable()
export class AuthCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('auth-cache');
  private readonly principals = new Map<string, CachedPrincipal>();
  private readonly roles = new Map<string, { role: MemberRole | undefined; cachedAt: number }>();
  private readonly changes: PgWakeUp;
  private closed = false;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly consistency: ConsistencyService,
  ) {
    this.changes = new PgWakeUp(pool, config.databaseUrl, ACCESS_CHANGES_CHANNEL);
  }

  onModuleInit(): void {
    void this.listen();
    // A command of the identity context answers once its read models hold it: from then on this
    // process must not serve access from before it.
    this.consistency.onCaughtUp((contexts) => {
      if (!contexts || contexts.includes('identity')) this.clear();
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.changes.close();
  }

  principal(tokenHash: string, now = Date.now()): Principal | undefined {
    const cached = this.principals.get(tokenHash);
    if (!cached) return undefined;
    if (now - cached.cachedAt > MAX_AGE_MS || (cached.expiresAt !== null && cached.expiresAt <= now)) {
      this.principals.delete(tokenHash);
      return undefined;
    }
    return cached.principal;
  }

  rememberPrincipal(tokenHash: string, principal: Principal, expiresAt: Date | null): void {
    this.principals.set(tokenHash, { principal, expiresAt: expiresAt?.getTime() ?? null, cachedAt: Date.now() });
  }

  /** `null`: not cached; `undefined` inside: cached as "not a member". */
  role(workspaceId: string, userId: string, now = Date.now()): { role: MemberRole | undefined } | null {
    const cached = this.roles.get(`${workspaceId}/${userId}`);
    if (!cached || now - cached.cachedAt > MAX_AGE_MS) return null;
    return { role: cached.role };
  }

  rememberRole(workspaceId: string, userId: string, role: MemberRole | undefined): void {
    this.roles.set(`${workspaceId}/${userId}`, { role, cachedAt: Date.now() });
  }

  /** Forget everything here and tell every other process to do the same. */
  invalidate(): void {
    this.clear();
    this.changes.poke();
  }

  private clear(): void {
    this.principals.clear();
    this.roles.clear();
  }

  /** Empties the cache on every notification; a listener that lost its connection empties it too, as it may have missed one. */
  private async listen(): Promise<void> {
    while (!this.closed) {
      try {
        const waiter = await this.changes.register();
        try {
          while (!this.closed) {
            waiter.clear();
            await waiter.wait(MAX_AGE_MS);
            this.clear();
          }
        } finally {
          waiter.dispose();
        }
      } catch (error) {
        this.clear();
        if (!this.closed) this.logger.warn(`not hearing of access changes, retrying: ${error instanceof Error ? error.message : String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 1000).unref());
      }
    }
  }
}
