import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { EventStore, RecordedEvent } from '@streamplane/eventstore';
import { batches } from './batches';
import { CheckpointStore } from './checkpoint-store';
import { ApplierOptions, ConsumerApplier } from './consumer-applier';
import { RunnerState } from './consumer-status';
import { EventConsumer } from './event-consumer';
import { describeError, sleep } from './pause';

export interface LogTailOptions extends ApplierOptions {
  batchSize: number;
  /** Longest pause between restarts after the loop failed (a database or Redis outage). */
  maxRestartDelayMs?: number;
  onStatus?: (consumer: EventConsumer, state: RunnerState, error?: string, attempts?: number) => void;
  /** After every consumer has had a batch. */
  onBatchDelivered?: () => void;
}

/** A consumer as this process last knew it. */
interface Follower {
  applier: ConsumerApplier;
  position: bigint;
  parked: boolean;
}

const PARKED_RECHECK_MS = 1000;
const FIRST_RESTART_DELAY_MS = 100;

/**
 * One reader of the log per process. Every projection and reactor of the process gets each batch
 * in memory from the same tail instead of polling and reading on its own, so adding a consumer
 * adds no reader: the consumers a batch concerns apply it side by side, each in its own
 * transaction with its own checkpoint; those it does not concern move their checkpoints together
 * in one statement.
 *
 * Supervised: whatever breaks the loop (a lost connection, a database or Redis restart) restarts
 * it from the checkpoints with a growing pause. A parked consumer drops out until it is resumed;
 * the tail then starts again from the lowest checkpoint, and the others skip what they have seen.
 */
export class LogTail {
  private readonly logger = new Logger('log-tail');
  private readonly controller = new AbortController();
  private readonly appliers: ConsumerApplier[];
  private running?: Promise<void>;
  private failures = 0;

  constructor(
    consumers: EventConsumer[],
    private readonly store: EventStore,
    pool: Pool,
    private readonly checkpoints: CheckpointStore,
    private readonly options: LogTailOptions,
  ) {
    this.appliers = consumers.map((consumer) => new ConsumerApplier(consumer, pool, checkpoints, options));
  }

  start(): void {
    this.running ??= this.supervise();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
    for (const applier of this.appliers) this.report(applier.consumer, 'stopped');
  }

  private async supervise(): Promise<void> {
    const { signal } = this.controller;
    while (!signal.aborted) {
      try {
        await this.follow(signal);
      } catch (error) {
        if (signal.aborted) break;
        this.failures++;
        const delay = Math.min(FIRST_RESTART_DELAY_MS * 2 ** (this.failures - 1), this.options.maxRestartDelayMs ?? 5000);
        for (const applier of this.appliers) this.report(applier.consumer, 'retrying', describeError(error), this.failures);
        this.logger.warn(`restarting from the checkpoints in ${delay} ms (attempt ${this.failures}): ${describeError(error)}`);
        await sleep(delay, signal);
      }
    }
  }

  /** One round: from the lowest live checkpoint until stopped, or until a parked consumer is resumed. */
  private async follow(signal: AbortSignal): Promise<void> {
    const known = await this.checkpoints.ensureAll(this.appliers.map((a) => a.consumer));
    const followers: Follower[] = this.appliers.map((applier) => {
      const checkpoint = known.get(applier.consumer.name)!;
      return { applier, position: checkpoint.position, parked: checkpoint.state === 'parked' };
    });
    const active = followers.filter((f) => !f.parked);
    for (const f of followers) this.report(f.applier.consumer, f.parked ? 'parked' : 'following', f.parked ? (known.get(f.applier.consumer.name)!.error ?? undefined) : undefined);
    if (active.length === 0) return sleep(PARKED_RECHECK_MS, signal);

    const round = new AbortController();
    const stopRound = () => round.abort();
    signal.addEventListener('abort', stopRound, { once: true });
    const watcher = setInterval(() => void this.resumedAny(followers).then((resumed) => resumed && round.abort()), PARKED_RECHECK_MS);
    try {
      const from = active.reduce((lowest, f) => (f.position < lowest ? f.position : lowest), active[0].position);
      for await (const batch of batches(this.store.subscribeToAll({ after: from, signal: round.signal }), this.options.batchSize)) {
        await this.deliver(batch, followers, round.signal);
        this.recovered();
      }
    } finally {
      clearInterval(watcher);
      signal.removeEventListener('abort', stopRound);
    }
  }

  private async deliver(batch: RecordedEvent[], followers: Follower[], signal: AbortSignal): Promise<void> {
    const last = batch[batch.length - 1];
    const working: Array<{ follower: Follower; fresh: RecordedEvent[] }> = [];
    const idle: Follower[] = [];
    for (const follower of followers) {
      if (follower.parked || follower.position >= last.position) continue;
      const fresh = batch.filter((e) => e.position > follower.position);
      if (fresh.some((e) => follower.applier.consumer.eventTypes.includes(e.type))) working.push({ follower, fresh });
      else idle.push(follower);
    }
    const outcomes = await Promise.allSettled(
      working.map(async ({ follower, fresh }) => {
        const applied = await follower.applier.applyWithRetry(fresh, signal);
        if (!applied) {
          follower.parked = true;
          this.report(follower.applier.consumer, 'parked');
        } else follower.position = last.position;
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    await this.checkpoints.skipAhead(
      idle.map((f) => f.applier.consumer.name),
      last.position,
      last.recordedAt,
    );
    for (const follower of idle) {
      follower.position = last.position;
      // Nothing applied, only passed: its newest position is all the listeners need.
      this.options.onBatchApplied?.(follower.applier.consumer, [last]);
    }
    this.options.onBatchDelivered?.();
  }

  private recovered(): void {
    if (this.failures === 0) return;
    this.logger.log(`following the log again after ${this.failures} failed attempts`);
    this.failures = 0;
  }

  /** True when a consumer this round left out as parked has been resumed (it needs an earlier start). */
  private async resumedAny(followers: Follower[]): Promise<boolean> {
    const parked = followers.filter((f) => f.parked);
    if (parked.length === 0) return false;
    try {
      const now = await this.checkpoints.ensureAll(parked.map((f) => f.applier.consumer));
      return [...now.values()].some((c) => c.state !== 'parked');
    } catch {
      return false; // an outage: the round itself will fail and restart
    }
  }

  private report(consumer: EventConsumer, state: RunnerState, error?: string, attempts?: number): void {
    this.options.onStatus?.(consumer, state, error, attempts);
  }
}
