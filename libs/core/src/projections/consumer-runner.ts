import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { EventStore, RecordedEvent } from '@streamplane/eventstore';
import { applyEvents } from './apply-events';
import { batches } from './batches';
import { CheckpointStore } from './checkpoint-store';
import { EventConsumer, READ_SCHEMA } from './event-consumer';

export interface RunnerOptions {
  batchSize: number;
  /** Delays between attempts at a failing event before the consumer is parked. */
  retryDelaysMs: number[];
  onBatchApplied?: (consumer: EventConsumer, applied: RecordedEvent[]) => void;
  onParked?: (consumer: EventConsumer, error: unknown) => void;
}

const PARKED_RECHECK_MS = 1000;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** Keeps one consumer up to date with the log until stopped. */
export class ConsumerRunner {
  private readonly logger: Logger;
  private readonly controller = new AbortController();
  private running?: Promise<void>;

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
    this.running ??= this.loop().catch((error) => this.logger.error(`stopped: ${String(error)}`));
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { signal } = this.controller;
    while (!signal.aborted) {
      const checkpoint = await this.checkpoints.ensure(this.consumer.name, this.consumer.kind);
      if (checkpoint.state === 'parked') {
        await sleep(PARKED_RECHECK_MS, signal);
        continue;
      }
      const parked = await this.follow(checkpoint.position, signal);
      if (parked) await sleep(PARKED_RECHECK_MS, signal);
    }
  }

  /** Reads from the checkpoint and applies batches; returns true when it had to park. */
  private async follow(from: bigint, signal: AbortSignal): Promise<boolean> {
    const events = this.store.subscribeToAll({ after: from, signal });
    for await (const batch of batches(events, this.options.batchSize)) {
      if (!(await this.applyWithRetry(batch, signal))) return true;
    }
    return false;
  }

  private async applyWithRetry(batch: RecordedEvent[], signal: AbortSignal): Promise<boolean> {
    try {
      await this.apply(batch);
      return true;
    } catch (error) {
      if (signal.aborted) return true;
      this.logger.warn(`batch of ${batch.length} failed, retrying event by event: ${String(error)}`);
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
          lastError = error;
        }
      }
      if (lastError !== undefined) {
        const message = lastError instanceof Error ? lastError.message : String(lastError);
        await this.checkpoints.park(this.consumer.name, `${event.type} ${event.eventId}: ${message}`, event.position, event.eventId);
        this.logger.error(`parked at ${event.type} ${event.eventId} (position ${event.position}): ${message}`);
        this.options.onParked?.(this.consumer, lastError);
        return false;
      }
    }
    return true;
  }

  private async apply(batch: RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1];
    // Most batches hold nothing for most consumers: moving past them costs one statement.
    if (!batch.some((event) => this.consumer.eventTypes.includes(event.type))) {
      await this.checkpoints.skipAhead(this.consumer.name, last.position, last.recordedAt);
      this.options.onBatchApplied?.(this.consumer, batch);
      return;
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const checkpoint = await this.checkpoints.lock(client, this.consumer.name);
      // Another runner or a rebuild may have moved the checkpoint past some of these events.
      const fresh = batch.filter((e) => e.position > checkpoint.position);
      if (fresh.length === 0 || checkpoint.state === 'parked') {
        await client.query('ROLLBACK');
        return;
      }
      await applyEvents(client, this.consumer, fresh, READ_SCHEMA);
      const newest = fresh[fresh.length - 1];
      await this.checkpoints.advance(client, this.consumer.name, newest.position, newest.recordedAt);
      await client.query('COMMIT');
      this.options.onBatchApplied?.(this.consumer, fresh);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
