import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Worker } from 'bullmq';
import { APP_CONFIG, AppConfig, ProcessorRegistry, workerConnectionOptions } from '@streamplane/core';

/** The worker role: one BullMQ Worker per registered processor; closed gracefully on SIGTERM. */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('worker');
  private workers: Worker[] = [];

  constructor(
    private readonly processors: ProcessorRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.workers = this.processors.all().map((processor) => {
      const worker = new Worker(processor.queue, (job) => processor.process(job), {
        connection: workerConnectionOptions(this.config.redisUrl),
        prefix: this.config.queuePrefix,
        concurrency: processor.concurrency,
        // A killed worker's jobs stall when its lock runs out; another worker then takes them.
        lockDuration: this.config.jobLockSeconds * 1000,
        stalledInterval: this.config.jobLockSeconds * 1000,
      });
      worker.on('failed', (job, error) => this.logger.warn(`${processor.queue} job ${job?.id} failed: ${error.message}`));
      worker.on('error', (error) => this.logger.error(`${processor.queue}: ${error.message}`));
      return worker;
    });
    this.logger.log(`processing ${this.workers.length} queues`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
