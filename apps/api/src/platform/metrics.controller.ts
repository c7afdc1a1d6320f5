import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { METRICS_CONTENT_TYPE, MetricsExposition, NotRateLimited } from '@streamplane/core';
import { PlatformAdmin } from '@streamplane/identity';

/**
 * /metrics on the API's port when METRICS_PORT is unset. Platform admins only (a scraper uses an
 * admin's API token): queue names and depths, lag and rates describe every tenant.
 */
@ApiExcludeController()
@NotRateLimited()
@PlatformAdmin()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly exposition: MetricsExposition) {}

  @Get()
  @Header('Content-Type', METRICS_CONTENT_TYPE)
  scrape(): Promise<string> {
    return this.exposition.render();
  }
}
