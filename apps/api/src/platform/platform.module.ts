import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@streamplane/core';
import { AdminProjectionsController } from './admin-projections.controller';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { VersionController } from './version.controller';
import { HEALTH_REDIS } from './platform.tokens';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  providers: [
    {
      provide: HEALTH_REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new IORedis(config.redisUrl, { maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2000 }),
    },
  ],
})
export class PlatformModule implements OnApplicationShutdown {
  /** /metrics is served here unless METRICS_PORT serves it on a port of its own (core's MetricsPort). */
  static forRoot(config: AppConfig): DynamicModule {
    const metrics = config.metricsPort === undefined ? [MetricsController] : [];
    return { module: PlatformModule, controllers: [HealthController, VersionController, ...metrics, AdminProjectionsController] };
  }

  constructor(@Inject(HEALTH_REDIS) private readonly redis: IORedis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
