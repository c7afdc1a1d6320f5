import { Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { producerConnection, untilReady } from '../../jobs/redis';
import { GlobalRateLimitGuard, rateLimitOptions } from './global-rate-limiter';

const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

@Module({
  providers: [{ provide: RATE_LIMIT_REDIS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => producerConnection(config.redisUrl) }],
  exports: [RATE_LIMIT_REDIS],
})
class RateLimitRedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(RATE_LIMIT_REDIS) private readonly redis: IORedis) {}

  /** Ready before the first request: the connection fails fast instead of queueing commands. */
  async onModuleInit(): Promise<void> {
    await untilReady(this.redis);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

/** The one global rate limiter of the HTTP role (@nestjs/throttler over Redis), as a global guard. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitRedisModule],
      inject: [APP_CONFIG, RATE_LIMIT_REDIS],
      useFactory: (config: AppConfig, redis: IORedis) => rateLimitOptions(config, redis),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: GlobalRateLimitGuard }],
})
export class GlobalRateLimitModule {}
