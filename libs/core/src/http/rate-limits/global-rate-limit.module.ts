import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { producerConnection } from '../../jobs/redis';
import { GlobalRateLimiter, RATE_LIMIT_REDIS } from './global-rate-limiter';

/** The one global rate limiter of the HTTP role; configureHttp installs its hook. */
@Module({
  providers: [{ provide: RATE_LIMIT_REDIS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => producerConnection(config.redisUrl) }, GlobalRateLimiter],
  exports: [GlobalRateLimiter],
})
export class GlobalRateLimitModule {}
