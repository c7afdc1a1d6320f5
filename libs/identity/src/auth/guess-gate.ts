import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig, producerConnection, untilReady } from '@streamplane/core';

/**
 * How password guesses are slowed: per (account, address) pair, a cap per address, and per account
 * across every address (a higher threshold with its own growing delays, which addresses that
 * signed in to the account before pass by).
 */
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
  /** Failures against one account, whatever the addresses, before the account's own delay. */
  accountFreeFailures: 10,
  /** The account's delay after its free failures, doubled by each further failure… */
  accountFirstDelayMs: 1000,
  /** …up to this: guesses from many addresses get one try a minute, never a lock. */
  accountMaxDelayMs: 60 * 1000,
  /** An account's failures are forgotten after this long without one. */
  accountMemoryMs: 24 * 3600 * 1000,
  /** An address that signed in to an account passes the account's delay for this long. */
  knownAddressMs: 30 * 24 * 3600 * 1000,
};

/**
 * Reserves a guess atomically, counting it as a failure before the password is checked (so 30
 * parallel guesses cannot all pass a check that ran before any was counted), and refuses it while
 * the pair's delay runs, the address is at its cap, or — unless the address signed in to the
 * account before — the account's delay runs. Only guesses from addresses the account does not
 * know count towards the account's delay: its owner's typos cannot slow the account. Returns 0
 * when the guess may go on, else the milliseconds to wait.
 *
 * KEYS: pair, address, account, the account's known addresses. ARGV[11]: this address, hashed.
 */
const RESERVE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local nextAt = tonumber(redis.call('HGET', KEYS[1], 'next_at') or '0')
if nextAt > now then return nextAt - now end
local addressFailures = tonumber(redis.call('GET', KEYS[2]) or '0')
if addressFailures >= tonumber(ARGV[5]) then return math.max(redis.call('PTTL', KEYS[2]), 1) end
local unknown = redis.call('SISMEMBER', KEYS[4], ARGV[11]) == 0
if unknown then
  local accountNextAt = tonumber(redis.call('HGET', KEYS[3], 'next_at') or '0')
  if accountNextAt > now then return accountNextAt - now end
end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local delay = 0
if failures >= tonumber(ARGV[1]) then delay = math.min(tonumber(ARGV[2]) * 2 ^ (failures - tonumber(ARGV[1])), tonumber(ARGV[3])) end
redis.call('HSET', KEYS[1], 'next_at', now + delay)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if unknown then
  local accountFailures = redis.call('HINCRBY', KEYS[3], 'failures', 1)
  if accountFailures >= tonumber(ARGV[7]) then
    redis.call('HSET', KEYS[3], 'next_at', now + math.min(tonumber(ARGV[8]) * 2 ^ (accountFailures - tonumber(ARGV[7])), tonumber(ARGV[9])))
  end
  redis.call('PEXPIRE', KEYS[3], ARGV[10])
end
if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[6]) end
return 0
`;

/**
 * Gives a reserved guess back once the password proved right: the pair starts afresh, and the
 * address becomes known to the account. From an address it did not know, the guess counted
 * towards the account's delay: it is given back, and the delay it set ends (the others' failures
 * stay, so the next wrong guess from elsewhere is slowed again).
 */
const RELEASE = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
if redis.call('SADD', KEYS[4], ARGV[1]) == 1 then
  if tonumber(redis.call('HGET', KEYS[3], 'failures') or '0') > 0 then redis.call('HINCRBY', KEYS[3], 'failures', -1) end
  redis.call('HDEL', KEYS[3], 'next_at')
end
redis.call('PEXPIRE', KEYS[4], ARGV[2])
return 0
`;

/** The Redis names of one guess: the pair, the address, the account, and the address as the account knows it. */
export interface GuessKeys {
  pair: string;
  address: string;
  account: string;
  /** The address, hashed: what the account's set of known addresses holds. */
  addressId: string;
}

@Injectable()
export class GuessGate implements OnModuleInit, OnModuleDestroy {
  private redis?: IORedis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** 0: go on (the guess is counted as failed until `succeeded`); otherwise how long to wait, in ms. */
  async reserve(guess: GuessKeys): Promise<number> {
    const p = GUESS_POLICY;
    const policy = [p.freeFailures, p.firstDelayMs, p.maxDelayMs, p.pairMemoryMs, p.perAddress, p.addressWindowMs, p.accountFreeFailures, p.accountFirstDelayMs, p.accountMaxDelayMs, p.accountMemoryMs];
    const wait = await this.connection().eval(RESERVE, 4, ...this.keys(guess), ...policy, guess.addressId);
    return Number(wait);
  }

  async succeeded(guess: GuessKeys): Promise<void> {
    await this.connection().eval(RELEASE, 4, ...this.keys(guess), guess.addressId, GUESS_POLICY.knownAddressMs);
  }

  /** Connected before the first sign-in: the connection fails fast rather than queue commands. */
  async onModuleInit(): Promise<void> {
    await untilReady(this.connection());
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }

  private keys({ pair, address, account }: GuessKeys): string[] {
    return [pair, address, account, `${account}:known`].map((name) => `${this.config.queuePrefix}:guesses:${name}`);
  }

  private connection(): IORedis {
    return (this.redis ??= producerConnection(this.config.redisUrl));
  }
}
