import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { MetricsService, NotRateLimited, QueueRegistry } from '@streamplane/core';
import { PlatformAdmin } from '@streamplane/identity';

/** Platform admins only (a scraper uses an admin's API token): queue names and depths, lag and rates describe every tenant. */
@ApiExcludeController()
@NotRateLimited()
@PlatformAdmin()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly queues: QueueRegistry,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
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
