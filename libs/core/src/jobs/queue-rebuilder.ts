import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * Puts back, from the read models and the log, the jobs one context's queues should hold. It must
 * add each job under the id its reactor gives it, so that jobs Redis still holds are not doubled.
 */
export interface QueueReconciler {
  name: string;
  /**
   * Reconcilers only one process can run (say, a worker host's own schedule) name a scope of
   * their own: it gets its own sentinel, so another process's rebuild does not count for it.
   */
  scope?: string;
  /** How many jobs it offered to BullMQ (known ids among them add nothing). */
  reconcile(): Promise<number>;
}

/** How often a process looks for the sentinel; Redis coming back also triggers a look at once. */
export const SENTINEL_CHECK_MS = 5_000;

// Sets the sentinel only if the rebuild that ends is still the latest one and Redis was not
// emptied while it ran (that would have taken the marker with it): then the next look rebuilds.
const FINISH = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[2], ARGV[2]); redis.call('del', KEYS[1]); return 1 end return 0`;

/**
 * DESIGN §6, "Redis holds nothing that cannot be rebuilt": a sentinel key under the queue prefix
 * says "these queues were rebuilt since Redis last lost its data". Redis without it (a first
 * start, a restart without persistence, a failover to an empty replica) gets every queue
 * reconciled, then the sentinel. Runs in the roles that own queues (projector, worker); several
 * processes rebuilding at once only offer the same job ids twice.
 */
@Injectable()
export class QueueRebuilder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('queues');
  private readonly reconcilers: QueueReconciler[] = [];
  private redis?: IORedis;
  private timer?: NodeJS.Timeout;
  private running?: Promise<boolean>;
  private rebuilds = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  add(...reconcilers: QueueReconciler[]): void {
    this.reconcilers.push(...reconcilers);
  }

  /** The key whose absence means "Redis lost these queues"; one per scope. */
  sentinelKey(scope?: string): string {
    return `${this.config.queuePrefix}:queues-rebuilt${scope ? `:${scope}` : ''}`;
  }

  private markerKey(scope?: string): string {
    return `${this.config.queuePrefix}:queues-rebuilding${scope ? `:${scope}` : ''}`;
  }

  /** Rebuilds finished by this process (for tests and metrics). */
  get completedRebuilds(): number {
    return this.rebuilds;
  }

  onApplicationBootstrap(): void {
    if (!this.config.roles.some((role) => role === 'projector' || role === 'worker')) return;
    // Fails fast while Redis is away; retries connecting forever and says 'ready' when it is back.
    this.redis = new IORedis(this.config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (times) => Math.min(times * 200, 2_000) });
    this.redis.on('error', () => undefined); // an outage is expected here; the checks report it
    this.redis.on('ready', () => void this.checkNow());
    this.timer = setInterval(() => void this.checkNow(), SENTINEL_CHECK_MS);
    this.timer.unref();
  }

  /** Looks for the sentinel and rebuilds if it is missing; one look at a time per process. */
  checkNow(): Promise<boolean> {
    this.running ??= this.check().finally(() => (this.running = undefined));
    return this.running;
  }

  private async check(): Promise<boolean> {
    const scopes = new Map<string | undefined, QueueReconciler[]>();
    for (const reconciler of this.reconcilers) scopes.set(reconciler.scope, [...(scopes.get(reconciler.scope) ?? []), reconciler]);
    let rebuilt = false;
    for (const [scope, reconcilers] of scopes) rebuilt = (await this.checkScope(scope, reconcilers)) || rebuilt;
    return rebuilt;
  }

  private async checkScope(scope: string | undefined, reconcilers: QueueReconciler[]): Promise<boolean> {
    const redis = this.redis;
    if (!redis || redis.status !== 'ready') return false;
    const [sentinel, marker] = [this.sentinelKey(scope), this.markerKey(scope)];
    try {
      if (await redis.exists(sentinel)) return false;
      const token = randomUUID();
      await redis.set(marker, token);
      const offered = await this.rebuild(reconcilers);
      const done = await redis.eval(FINISH, 2, marker, sentinel, token, new Date().toISOString());
      if (done === 1) this.rebuilds++;
      this.logger.log(`queues rebuilt from the read models (${reconcilers.map((r) => r.name).join(', ')}): ${offered} job(s) offered${done === 1 ? '' : '; Redis changed meanwhile, will look again'}`);
      return done === 1;
    } catch (error) {
      this.logger.warn(`queue rebuild did not finish: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  /** Every reconciler, each on its own: one that fails does not keep the others' jobs away. */
  private async rebuild(reconcilers: QueueReconciler[]): Promise<number> {
    let offered = 0;
    let failed: unknown;
    for (const reconciler of reconcilers) {
      try {
        offered += await reconciler.reconcile();
      } catch (error) {
        failed ??= error;
        this.logger.warn(`reconciling ${reconciler.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failed) throw failed; // no sentinel: the next look tries again
    return offered;
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    this.redis?.disconnect();
  }
}
