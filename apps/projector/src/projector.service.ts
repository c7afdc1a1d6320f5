import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, CheckpointStore, ConsistencyService, ConsumerRegistry, ConsumerStatusBoard, LogTail, MetricsService, PG_POOL } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';

/** The projector role: one tail of the log feeding every projection and reactor, each from its own checkpoint. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('projector');
  private tail?: LogTail;

  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly checkpoints: CheckpointStore,
    private readonly consistency: ConsistencyService,
    private readonly metrics: MetricsService,
    private readonly statuses: ConsumerStatusBoard,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const consumers = this.registry.all();
    this.tail = new LogTail(consumers, this.store, this.pool, this.checkpoints, {
      batchSize: this.config.projectionBatchSize,
      retryDelaysMs: [100, 500, 2000],
      onBatchApplied: (consumer, events) => {
        const newest = events[events.length - 1].position;
        this.consistency.recordLocal(consumer.name, newest);
        const now = Date.now();
        for (const event of events) this.metrics.projectionLag.observe({ consumer: consumer.name }, Math.max(0, now - event.recordedAt.getTime()) / 1000);
        this.metrics.projectionPosition.set({ consumer: consumer.name }, Number(newest));
      },
      // Once per batch, not once per consumer: read-your-writes waiters re-check on each poke.
      onBatchDelivered: () => this.consistency.wakeUp.poke(),
      onStatus: (consumer, state, error, attempts) => this.statuses.report(consumer.name, state, error, attempts),
      onParked: (consumer) => {
        this.consistency.recordLocal(consumer.name, 0n, true);
        this.consistency.wakeUp.poke();
      },
    });
    this.tail.start();
    this.logger.log(`following the log with ${consumers.length} projections and reactors`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.tail?.stop();
  }
}
