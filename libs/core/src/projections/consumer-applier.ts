import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { RecordedEvent } from '@streamplane/eventstore';
import { inTransaction } from '../database/transaction';
import { unavailableDependency } from '../errors/dependency-errors';
import { applyEvents } from './apply-events';
import { CheckpointStore } from './checkpoint-store';
import { EventConsumer, READ_SCHEMA } from './event-consumer';
import { describeError, sleep } from './pause';

export interface ApplierOptions {
  /** Delays between attempts at a failing event before the consumer is parked. */
  retryDelaysMs: number[];
  onBatchApplied?: (consumer: EventConsumer, applied: RecordedEvent[]) => void;
  onParked?: (consumer: EventConsumer, error: unknown) => void;
}

/** Raised out of a batch so the log tail restarts from the checkpoints instead of parking anyone. */
export class DependencyOutage extends Error {}

/**
 * Applies batches to one consumer: the consumer's work and its checkpoint in one transaction, so
 * a crash anywhere neither loses nor repeats an event. A failing batch is retried event by event;
 * an event that keeps failing while the dependencies answer parks this consumer and no other.
 */
export class ConsumerApplier {
  private readonly logger: Logger;
  /** Read once: some consumers derive their types from the whole event catalogue. */
  private readonly types: ReadonlySet<string>;

  constructor(
    readonly consumer: EventConsumer,
    private readonly pool: Pool,
    private readonly checkpoints: CheckpointStore,
    private readonly options: ApplierOptions,
  ) {
    this.logger = new Logger(`${consumer.kind}:${consumer.name}`);
    this.types = new Set(consumer.eventTypes);
  }

  /** Whether any of these events is one the consumer handles. */
  concerns(events: readonly RecordedEvent[]): boolean {
    return events.some((e) => this.types.has(e.type));
  }

  /** False when it had to park. Throws DependencyOutage when PostgreSQL or Redis is away. */
  async applyWithRetry(batch: RecordedEvent[], signal: AbortSignal): Promise<boolean> {
    try {
      await this.apply(batch);
      return true;
    } catch (error) {
      if (signal.aborted) return true;
      rethrowOutage(error);
      this.logger.warn(`batch of ${batch.length} failed, retrying event by event: ${describeError(error)}`);
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
          rethrowOutage(error);
          lastError = error;
        }
      }
      if (lastError !== undefined) {
        const message = describeError(lastError);
        await this.checkpoints.park(this.consumer.name, `${event.type} ${event.eventId}: ${message}`, event.position, event.eventId);
        this.logger.error(`parked at ${event.type} ${event.eventId} (position ${event.position}): ${message}`);
        this.options.onParked?.(this.consumer, lastError);
        return false;
      }
    }
    return true;
  }

  private async apply(batch: RecordedEvent[]): Promise<void> {
    const applied = await inTransaction(this.pool, async (client) => {
      const checkpoint = await this.checkpoints.lock(client, this.consumer.name);
      // Another process or a rebuild may have moved the checkpoint past some of these events.
      const fresh = batch.filter((e) => e.position > checkpoint.position);
      if (fresh.length === 0 || checkpoint.state === 'parked') return [];
      await applyEvents(client, this.consumer, fresh, READ_SCHEMA, this.types);
      const newest = fresh[fresh.length - 1];
      await this.checkpoints.advance(client, this.consumer.name, newest.position, newest.recordedAt);
      return fresh;
    });
    if (applied.length) this.options.onBatchApplied?.(this.consumer, applied);
  }
}

/** An outage is no fault of the event: restart from the checkpoints, never park for it. */
function rethrowOutage(error: unknown): void {
  if (unavailableDependency(error)) throw new DependencyOutage(describeError(error), { cause: error });
}
