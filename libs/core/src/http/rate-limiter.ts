import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TooManyRequestsError } from '../domain/domain-errors';
import { producerConnection, untilReady } from '../jobs/redis';

/** Fixed-window counters in Redis, shared by every process: `limit` hits per `windowSeconds`. */
@Injectable()
export class RateLimiter implements OnModuleInit, OnModuleDestroy {
  private redis?: IORedis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Counts a hit; throws a 429 once the window holds more than `limit`. */
  async hit(key: string, limit: number, windowSeconds: number, message: string): Promise<void> {
    const count = await this.count(key, windowSeconds);
    if (count > limit) throw new TooManyRequestsError(message, await this.retryAfter(key, windowSeconds));
  }

  async count(key: string, windowSeconds: number): Promise<number> {
    const [[, count]] = (await this.connection().multi().incr(this.key(key)).expire(this.key(key), windowSeconds, 'NX').exec()) as [[null, number]];
    return count;
  }

  /**
   * Connects before the first request: the connection fails fast rather than queueing commands
   * while Redis is away, so a command sent before it is ready would fail (as the first sign-in did).
   */
  async onModuleInit(): Promise<void> {
    await untilReady(this.connection());
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
  }

  private async retryAfter(key: string, windowSeconds: number): Promise<number> {
    const ttl = await this.connection().ttl(this.key(key));
    return ttl > 0 ? ttl : windowSeconds;
  }

  private key(key: string): string {
    return `${this.config.queuePrefix}:ratelimit:${key}`;
  }

  private connection(): IORedis {
    return (this.redis ??= producerConnection(this.config.redisUrl));
  }
}
