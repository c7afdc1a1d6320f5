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

  /** True when reached within the timeout. */
  async waitFor(position: bigint, contexts: readonly string[] | undefined, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const waiter = await this.wakeUp.register();
    try {
      while (true) {
        waiter.clear();
        const reached = await this.readPosition(contexts);
        if (reached === undefined || reached >= position) return true;
        const left = deadline - Date.now();
        if (left <= 0) return false;
        await waiter.wait(Math.min(left, RECHECK_MS));
      }
    } finally {
      waiter.dispose();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.wakeUp.close();
  }
}
