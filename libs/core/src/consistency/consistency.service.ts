import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import { PgWakeUp } from '@streamplane/eventstore';
import { PG_POOL } from '../database/database.providers';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ConsumerRegistry } from '../projections/consumer-registry';
import { currentContext } from '../context/request-context';

export const CHECKPOINTS_CHANNEL = 'streamplane_checkpoints';
const RECHECK_MS = 250;

/**
 * Read-your-writes: waits until the read models of some contexts include a log position. Woken by
 * the projector's NOTIFY after each batch; parked projections are not waited for.
 */
@Injectable()
export class ConsistencyService implements OnModuleDestroy {
  readonly wakeUp: PgWakeUp;

  private readonly readYourWritesTimeoutMs: number;
  private readonly local = new Map<string, { position: bigint; parked: boolean }>();
  private readonly caughtUpListeners: Array<(contexts: readonly string[] | undefined) => void> = [];

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly registry: ConsumerRegistry,
  ) {
    this.wakeUp = new PgWakeUp(pool, config.databaseUrl, CHECKPOINTS_CHANNEL);
    this.readYourWritesTimeoutMs = config.readYourWritesTimeoutMs;
  }

  /**
   * The lowest position every live projection and reactor of these contexts has reached (all contexts if none
   * given); `undefined` when there is nothing to wait for.
   */
  async readPosition(contexts?: readonly string[]): Promise<bigint | undefined> {
    // Reactors count too: a created stream must already be on the queue when the answer comes.
    const names = this.registry.ofContexts(contexts).map((c) => c.name);
    if (names.length === 0) return undefined;
    const { rows } = await this.pool.query<{ position: string | null; known: string; live: string }>(
      `SELECT min(position) FILTER (WHERE state <> 'parked') AS position, count(*) AS known,
              count(*) FILTER (WHERE state <> 'parked') AS live
         FROM projection_checkpoints WHERE name = ANY($1)`,
      [names],
    );
    const { position, known, live } = rows[0];
    if (Number(known) < names.length) return 0n; // a projection that has not started has read nothing
    return Number(live) === 0 || position === null ? undefined : BigInt(position);
  }

  /**
   * For a handler that must read what it just wrote before answering (a queue take returns the
   * taken streams): waits for this request's own writes; false if it timed out.
   */
  async waitForOwnWrites(contexts: readonly string[]): Promise<boolean> {
    const written = currentContext()?.writtenPosition;
    return written === undefined ? true : this.waitFor(written, contexts, this.readYourWritesTimeoutMs);
  }

  /** Called when a command of these contexts (all when undefined) has waited for its read models and is about to answer. */
  onCaughtUp(listener: (contexts: readonly string[] | undefined) => void): void {
    this.caughtUpListeners.push(listener);
  }

  caughtUp(contexts: readonly string[] | undefined): void {
    for (const listener of this.caughtUpListeners) listener(contexts);
  }

  /** Called by this process's consumer runners after each commit: where each has got to. */
  recordLocal(consumer: string, position: bigint, parked = false): void {
    const known = this.local.get(consumer);
    if (!known || parked || position > known.position) this.local.set(consumer, { position: known && position < known.position ? known.position : position, parked });
  }

  /** After a resume: its old report (parked) no longer holds; the database answers until it reports again. */
  forgetLocal(consumer: string): void {
    this.local.delete(consumer);
  }

  /**
   * True when every consumer of these contexts runs in this process and has committed `position`
   * (parked ones are not waited for). Cheap: no query. False means "ask the database".
   */
  private reachedLocally(position: bigint, contexts: readonly string[] | undefined): boolean {
    return this.registry.ofContexts(contexts).every((consumer) => {
      const known = this.local.get(consumer.name);
      return known !== undefined && (known.parked || known.position >= position);
    });
  }

  /**
   * True when reached within the timeout. When the consumers run in this process, their own
   * reports answer (woken at once by their pokes); the database is asked first only when they do
   * not, and again whenever a wait times out — so another process's progress is never missed.
   */
  async waitFor(position: bigint, contexts: readonly string[] | undefined, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const waiter = await this.wakeUp.register();
    let askDatabase = !this.registry.ofContexts(contexts).every((consumer) => this.local.has(consumer.name));
    try {
      while (true) {
        waiter.clear();
        if (this.reachedLocally(position, contexts)) return true;
        if (askDatabase) {
          const reached = await this.readPosition(contexts);
          if (reached === undefined || reached >= position) return true;
        }
        const left = deadline - Date.now();
        if (left <= 0) return false;
        const pause = Math.min(left, RECHECK_MS);
        const began = Date.now();
        await waiter.wait(pause);
        askDatabase = Date.now() - began >= pause; // a timeout, not a poke: look at the shared truth
      }
    } finally {
      waiter.dispose();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.wakeUp.close();
  }
}
