import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig, producerConnection, untilReady } from '@streamplane/core';

/** How password guesses are slowed: per (account, address) pair, and a cap per address. */
export const GUESS_POLICY = {
  /** Failures of one pair before any delay. */
  freeFailures: 5,
  /** The delay after the free failures, doubled by each further failure… */
  firstDelayMs: 5000,
  /** …up to this. */
  maxDelayMs: 15 * 60 * 1000,
  /** A pair's failures are forgotten after this long without one. */
  pairMemoryMs: 24 * 3600 * 1000,
  /** Failures from one address, whatever the accounts, per window. */
  perAddress: 20,
  addressWindowMs: 15 * 60 * 1000,
};

/**
 * Reserves a guess atomically, counting it as a failure before the password is checked (so 30
 * parallel guesses cannot all pass a check that ran before any was counted), and refuses it while
 * the pair's delay runs or the address is at its cap. Returns 0 when the guess may go on, else the
 * milliseconds to wait.
 */
const RESERVE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local nextAt = tonumber(redis.call('HGET', KEYS[1], 'next_at') or '0')
if nextAt > now then return nextAt - now end
local addressFailures = tonumber(redis.call('GET', KEYS[2]) or '0')
if addressFailures >= tonumber(ARGV[5]) then return math.max(redis.call('PTTL', KEYS[2]), 1) end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local delay = 0
if failures >= tonumber(ARGV[1]) then delay = math.min(tonumber(ARGV[2]) * 2 ^ (failures - tonumber(ARGV[1])), tonumber(ARGV[3])) end
redis.call('HSET', KEYS[1], 'next_at', now + delay)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[6]) end
return 0
`;

/** Gives a reserved guess back once the password proved right: the pair starts afresh. */
const RELEASE = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 0
`;

@Injectable()
export class GuessGate implements OnModuleInit, OnModuleDestroy {
  private redis?: IORedis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** 0: go on (the guess is counted as failed until `succeeded`); otherwise how long to wait, in ms. */
  async reserve(pair: string, address: string): Promise<number> {
    const p = GUESS_POLICY;
    const wait = await this.connection().eval(RESERVE, 2, this.key(pair), this.key(address), p.freeFailures, p.firstDelayMs, p.maxDelayMs, p.pairMemoryMs, p.perAddress, p.addressWindowMs);
    return Number(wait);
  }

  async succeeded(pair: string, address: string): Promise<void> {
    await this.connection().eval(RELEASE, 2, this.key(pair), this.key(address));
  }

  /** Connected before the first sign-in: the connection fails fast rather than queue commands. */
  async onModuleInit(): Promise<void> {
    await untilReady(this.connection());
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }

  private key(name: string): string {
    return `${this.config.queuePrefix}:guesses:${name}`;
  }

  private connection(): IORedis {
    return (this.redis ??= producerConnection(this.config.redisUrl));
  }
}
