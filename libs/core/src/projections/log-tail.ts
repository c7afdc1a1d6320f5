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
  /** After a consumer has applied or passed a batch. */
  onBatchDelivered?: () => void;
}

/** A consumer as this process last knew it. */
interface Follower {
  applier: ConsumerApplier;
  /** The newest position handed to it (applied, or queued on `work`). */
  position: bigint;
  parked: boolean;
  /** Its batches still being applied, in log order; never rejects (a failure ends the round). */
  work: Promise<void>;
  pending: number;
}

/**
 * How many batches the tail reads ahead of its slowest consumer. Each consumer works through its
 * own queue, so a slow projection (one row per event) no longer holds back a reactor whose
 * latency matters (webhook deliveries); past this many, the tail waits for it.
 */
const MAX_BATCHES_AHEAD = 8;

/** One pass over the log; the first failure of any consumer's work ends it. */
interface Round {
  controller: AbortController;
  error?: unknown;
}
const PARKED_RECHECK_MS = 1000;
const FIRST_RESTART_DELAY_MS = 100;

/**
 * One reader of the log per process. Every projection and reactor of the process gets each batch
 * in memory from the same tail instead of polling and reading on its own, so adding a consumer
 * adds no reader: the consumers a batch concerns apply it side by side, each in its own
 * transaction with its own checkpoint; those it does not concern move their checkpoints together
 * in one statement. A consumer works through its batches in its own queue: the slowest no
 * longer sets everyone's pace, and the tail reads on until one is MAX_BATCHES_AHEAD behind.
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
      return { applier, position: checkpoint.position, parked: checkpoint.state === 'parked', work: Promise.resolve(), pending: 0 };
    });
    const active = followers.filter((f) => !f.parked);
    for (const f of followers) this.report(f.applier.consumer, f.parked ? 'parked' : 'following', f.parked ? (known.get(f.applier.consumer.name)!.error ?? undefined) : undefined);
    if (active.length === 0) return sleep(PARKED_RECHECK_MS, signal);

    const round: Round = { controller: new AbortController() };
    const stopRound = () => round.controller.abort();
    signal.addEventListener('abort', stopRound, { once: true });
    const watcher = setInterval(() => void this.resumedAny(followers).then((resumed) => resumed && round.controller.abort()), PARKED_RECHECK_MS);
    try {
      const from = active.reduce((lowest, f) => (f.position < lowest ? f.position : lowest), active[0].position);
      for await (const batch of batches(this.store.subscribeToAll({ after: from, signal: round.controller.signal }), this.options.batchSize)) {
        await this.deliver(batch, followers, round);
        if (round.controller.signal.aborted) break;
      }
    } finally {
      clearInterval(watcher);
      signal.removeEventListener('abort', stopRound);
      // The next round starts from the checkpoints: nothing of this one may still be writing.
      round.controller.abort();
      await Promise.all(followers.map((f) => f.work));
    }
    if ('error' in round) throw round.error;
  }

  /**
   * Hands the batch to every consumer it concerns (queued behind that consumer's earlier batches)
   * and moves the checkpoints of the idle ones together in one statement; then waits only for
   * consumers that have fallen MAX_BATCHES_AHEAD behind.
   */
  private async deliver(batch: RecordedEvent[], followers: Follower[], round: Round): Promise<void> {
    const last = batch[batch.length - 1];
    const idle: Follower[] = [];
    for (const follower of followers) {
      if (follower.parked || follower.position >= last.position) continue;
      const fresh = batch.filter((e) => e.position > follower.position);
      follower.position = last.position;
      if (follower.applier.concerns(fresh)) this.enqueue(follower, round, () => this.apply(follower, fresh, round.controller.signal));
      // Moving its checkpoint now would overtake the batches it is still applying.
      else if (follower.pending > 0) this.enqueue(follower, round, () => this.skip([follower], last));
      else idle.push(follower);
    }
    if (idle.length) {
      await this.skip(idle, last);
      this.recovered();
      this.options.onBatchDelivered?.();
    }
    for (const follower of followers) while (follower.pending >= MAX_BATCHES_AHEAD && !round.controller.signal.aborted) await follower.work;
  }

  /**
   * Queues work behind the consumer's earlier batches. A failure ends the round at once (the next
   * starts from the checkpoints), and work still queued in an ended round is dropped.
   */
  private enqueue(follower: Follower, round: Round, task: () => Promise<void>): void {
    follower.pending++;
    follower.work = follower.work
      .then(async () => {
        if (round.controller.signal.aborted) return;
        await task();
        // Only work that committed says the log is followed again (queued work does not).
        this.recovered();
      })
      .catch((error: unknown) => {
        if (!('error' in round)) round.error = error;
        round.controller.abort();
      })
      .finally(() => {
        follower.pending--;
        this.options.onBatchDelivered?.();
      });
  }

  private async apply(follower: Follower, events: RecordedEvent[], signal: AbortSignal): Promise<void> {
    if (follower.parked) return;
    const applied = await follower.applier.applyWithRetry(events, signal);
    if (!applied) {
      follower.parked = true;
      this.report(follower.applier.consumer, 'parked');
    }
  }

  /** Passes consumers over events they ignore: only their newest position matters to listeners. */
  private async skip(followers: Follower[], last: RecordedEvent): Promise<void> {
    // A consumer parked by a batch before this one stays where it failed (and is not reported past it).
    const live = followers.filter((f) => !f.parked);
    if (live.length === 0) return;
    await this.checkpoints.skipAhead(
      live.map((f) => f.applier.consumer.name),
      last.position,
      last.recordedAt,
    );
    for (const follower of live) this.options.onBatchApplied?.(follower.applier.consumer, [last]);
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
