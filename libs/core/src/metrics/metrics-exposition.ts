import { Injectable } from '@nestjs/common';
import { QueueRegistry } from '../jobs/queue-registry';
import { MetricsService } from './metrics.service';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The Prometheus text of this process, wherever /metrics is served (the API's port or METRICS_PORT). */
@Injectable()
export class MetricsExposition {
  constructor(
    private readonly metrics: MetricsService,
    private readonly queues: QueueRegistry,
  ) {}

  async render(): Promise<string> {
    // Queue depths are read on scrape: cheap, and never stale.
    await Promise.all(
      this.queues.all().map(async (queue) => {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
        for (const [state, count] of Object.entries(counts)) this.metrics.queueDepth.set({ queue: queue.name, state }, count);
      }),
    );
    return this.metrics.registry.metrics();
  }
}
