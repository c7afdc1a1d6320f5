import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { EventStore, RecordedEvent } from '@streamplane/eventstore';
import { inTransaction } from '../database/transaction';
import { unavailableDependency } from '../errors/dependency-errors';
import { applyEvents } from './apply-events';
import { batches } from './batches';
import { CheckpointStore } from './checkpoint-store';
import { RunnerState } from './consumer-status';
import { EventConsumer, READ_SCHEMA } from './event-consumer';

export interface RunnerOptions {
  batchSize: number;
  /** Delays between attempts at a failing event before the consumer is parked. */
  retryDelaysMs: number[];
  /** Longest pause between restarts after the loop failed (a database or Redis outage). */
  maxRestartDelayMs?: number;
  onBatchApplied?: (consumer: EventConsumer, applied: RecordedEvent[]) => void;
  onParked?: (consumer: EventConsumer, error: unknown) => void;
  onStatus?: (consumer: EventConsumer, state: RunnerState, error?: string, attempts?: number) => void;
}

const PARKED_RECHECK_MS = 1000;
const FIRST_RESTART_DELAY_MS = 100;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Thrown out of a batch to restart the loop from the checkpoint instead of parking. */
class DependencyOutage extends Error {}

/**
 * Keeps one consumer up to date with the log until stopped. It is supervised: whatever breaks its
 * loop (a lost connection, a database or Redis restart) restarts it from its checkpoint with a
 * growing pause; only an event that keeps failing while the dependencies answer parks it.
 */
export class ConsumerRunner {
  private readonly logger: Logger;
  private readonly controller = new AbortController();
  private running?: Promise<void>;
  private failures = 0;

  constructor(
    private readonly consumer: EventConsumer,
    private readonly store: EventStore,
    private readonly pool: Pool,
    private readonly checkpoints: CheckpointStore,
    private readonly options: RunnerOptions,
  ) {
    this.logger = new Logger(`${consumer.kind}:${consumer.name}`);
  }

  start(): void {
    this.running ??= this.supervise();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
    this.report('stopped');
  }

  private async supervise(): Promise<void> {
    const { signal } = this.controller;
    while (!signal.aborted) {
      try {
        await this.loop(signal);
      } catch (error) {
        if (signal.aborted) break;
        this.failures++;
        const delay = Math.min(FIRST_RESTART_DELAY_MS * 2 ** (this.failures - 1), this.options.maxRestartDelayMs ?? 5000);
        this.report('retrying', describe(error), this.failures);
        this.logger.warn(`restarting from its checkpoint in ${delay} ms (attempt ${this.failures}): ${describe(error)}`);
        await sleep(delay, signal);
      }
    }
  }

  private async loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const checkpoint = await this.checkpoints.ensure(this.consumer.name, this.consumer.kind);
      if (checkpoint.state === 'parked') {
        this.report('parked', checkpoint.error ?? undefined);
        await sleep(PARKED_RECHECK_MS, signal);
        continue;
      }
      this.succeeded();
      const parked = await this.follow(checkpoint.position, signal);
      if (parked) await sleep(PARKED_RECHECK_MS, signal);
    }
  }

  /** Reads from the checkpoint and applies batches; returns true when it had to park. */
  private async follow(from: bigint, signal: AbortSignal): Promise<boolean> {
    const events = this.store.subscribeToAll({ after: from, signal });
    for await (const batch of batches(events, this.options.batchSize)) {
      if (!(await this.applyWithRetry(batch, signal))) return true;
      this.succeeded();
    }
    return false;
  }

  private async applyWithRetry(batch: RecordedEvent[], signal: AbortSignal): Promise<boolean> {
    try {
      await this.apply(batch);
      return true;
    } catch (error) {
      if (signal.aborted) return true;
      this.rethrowOutage(error);
      this.logger.warn(`batch of ${batch.length} failed, retrying event by event: ${describe(error)}`);
    }
    // One at a time: the events before the poison one still get applied.
    for (const event of batch) {
      let lastError: unknown;
      for (const delay of [0, ...this.options.retryDelaysMs]) {
        if (delay) await sleep(delay, signal);
        if (signal.aborted) return true;
        try {
          await this.apply([event]);
          lastError = undefined;
          break;
        } catch (error) {
          this.rethrowOutage(error);
          lastError = error;
        }
      }
      if (lastError !== undefined) {
        const message = describe(lastError);
        await this.checkpoints.park(this.consumer.name, `${event.type} ${event.eventId}: ${message}`, event.position, event.eventId);
        this.logger.error(`parked at ${event.type} ${event.eventId} (position ${event.position}): ${message}`);
        this.report('parked', message);
        this.options.onParked?.(this.consumer, lastError);
        return false;
      }
    }
    return true;
  }

  /** An outage is no fault of the event: restart from the checkpoint, never park for it. */
  private rethrowOutage(error: unknown): void {
    if (unavailableDependency(error)) throw new DependencyOutage(describe(error), { cause: error });
  }

  private async apply(batch: RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1];
    // Most batches hold nothing for most consumers: moving past them costs one statement.
    if (!batch.some((event) => this.consumer.eventTypes.includes(event.type))) {
      await this.checkpoints.skipAhead(this.consumer.name, last.position, last.recordedAt);
      this.options.onBatchApplied?.(this.consumer, batch);
      return;
    }
    const applied = await inTransaction(this.pool, async (client) => {
      const checkpoint = await this.checkpoints.lock(client, this.consumer.name);
      // Another runner or a rebuild may have moved the checkpoint past some of these events.
      const fresh = batch.filter((e) => e.position > checkpoint.position);
      if (fresh.length === 0 || checkpoint.state === 'parked') return [];
      await applyEvents(client, this.consumer, fresh, READ_SCHEMA);
      const newest = fresh[fresh.length - 1];
      await this.checkpoints.advance(client, this.consumer.name, newest.position, newest.recordedAt);
      return fresh;
    });
    if (applied.length) this.options.onBatchApplied?.(this.consumer, applied);
  }

  private succeeded(): void {
    if (this.failures > 0) this.logger.log(`following the log again after ${this.failures} failed attempts`);
    this.failures = 0;
    this.report('following');
  }

  private report(state: RunnerState, error?: string, attempts?: number): void {
    this.options.onStatus?.(this.consumer, state, error, attempts);
  }
}
