import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { producerConnection } from './redis';

/** How long finished jobs are kept: long enough that a replayed event finds its job and adds none. */
export const KEEP_FINISHED_JOBS = { age: 7 * 24 * 3600, count: 100_000 };
/** A Redis outage makes every queue report each reconnect attempt; one line per queue this often is enough. */
const ERROR_LOG_EVERY_MS = 30_000;

/** The BullMQ queues of the product, created on first use and shared by everyone in the process. */
@Injectable()
export class QueueRegistry implements OnModuleDestroy {
  private readonly queues = new Map<string, Queue>();
  private readonly logger = new Logger('queues');
  private connection?: IORedis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get prefix(): string {
    return this.config.queuePrefix;
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      this.connection ??= producerConnection(this.config.redisUrl);
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.config.queuePrefix,
        defaultJobOptions: { removeOnComplete: KEEP_FINISHED_JOBS, removeOnFail: KEEP_FINISHED_JOBS, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
      });
      // Without a listener BullMQ prints every failed reconnect to stderr; callers see the errors anyway.
      let lastLogged = 0;
      queue.on('error', (error: Error) => {
        if (Date.now() - lastLogged < ERROR_LOG_EVERY_MS) return;
        lastLogged = Date.now();
        this.logger.warn(`queue ${name}: ${error.message}`);
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
    this.connection?.disconnect();
  }
}
