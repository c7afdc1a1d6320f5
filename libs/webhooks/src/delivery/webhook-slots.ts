import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig, producerConnection } from '@streamplane/core';

/**
 * Takes a slot when fewer than ARGV[1] unexpired leases are held: a sorted set of lease tokens
 * scored by expiry, on Redis's clock so every process agrees. Answers 1 when taken.
 */
const TAKE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** Margin of a lease over the POST's own timeout: the attempt's reads and the recording of it. */
const LEASE_MARGIN_MS = 15_000;

/**
 * The per-webhook bound (WEBHOOK_CONCURRENCY_PER_WEBHOOK) across every worker process: each
 * attempt in flight holds a lease in Redis, given back when it ends and expiring by itself when
 * its process dies. Redis holds nothing else here: leases lost with Redis only let the bound be
 * passed until the attempts then in flight end.
 */
@Injectable()
export class WebhookSlots implements OnModuleDestroy {
  private redis?: IORedis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** A lease token when one of the webhook's slots was free, else undefined. */
  async take(webhookId: string, holder = `${process.pid}.${randomUUID()}`): Promise<string | undefined> {
    const leaseMs = this.config.webhooks.timeoutMs + LEASE_MARGIN_MS;
    const taken = await this.connection().eval(TAKE, 1, this.key(webhookId), this.config.webhooks.concurrencyPerWebhook, leaseMs, holder);
    return Number(taken) === 1 ? holder : undefined;
  }

  async release(webhookId: string, holder: string): Promise<void> {
    await this.connection().zrem(this.key(webhookId), holder);
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }

  private key(webhookId: string): string {
    return `${this.config.queuePrefix}:webhook-slots:${webhookId}`;
  }

  private connection(): IORedis {
    return (this.redis ??= producerConnection(this.config.redisUrl));
  }
}
