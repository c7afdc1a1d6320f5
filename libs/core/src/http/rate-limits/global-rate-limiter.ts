import { createHash } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { TooManyRequestsError } from '../../domain/domain-errors';
import { untilReady } from '../../jobs/redis';
import { bearerToken, headerOf } from '../headers';
import { ActionBudget } from './action-budget';
import { RateLimitedActionName, RateLimitRouteConfig } from './rate-limit.decorators';
import { Refusal, SharedWindowCounter } from './shared-window-counter';

export const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');
/** How often each process adds its counts to the install's (Redis) and takes back the totals. */
const SYNC_MS = 200;
const HOUR_MS = 3600_000;

/** The bearer token's hash: a principal's bucket, known before authentication runs. */
function principalOf(request: FastifyRequest): string | undefined {
  const token = bearerToken(headerOf(request, 'authorization'));
  return token && createHash('sha256').update(token).digest('hex');
}

/**
 * The one global rate limiter of the HTTP role, a Fastify onRequest hook: every request counts
 * against its client address and, with a bearer token, its principal (one budget across all
 * routes each); the mail-sending actions have budgets of their own. Probes and scrapes
 * (`@NotRateLimited()`) are exempt. Past a limit: 429 problem+json with Retry-After.
 */
@Injectable()
export class GlobalRateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly counter: SharedWindowCounter;
  private readonly actions: ActionBudget;
  private readonly actionLimits: Record<RateLimitedActionName, number>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RATE_LIMIT_REDIS) private readonly redis: IORedis,
  ) {
    const { rateLimit, queuePrefix } = config;
    this.counter = new SharedWindowCounter(redis, `${queuePrefix}:throttle:`, rateLimit.windowSeconds * 1000, SYNC_MS);
    this.actions = new ActionBudget(redis, `${queuePrefix}:throttle:`);
    this.actionLimits = { 'sign-up': rateLimit.signUpsPerHour, invitations: rateLimit.invitationsPerHour };
  }

  /** Ready before the first request: the connection fails fast instead of queueing commands. */
  async onModuleInit(): Promise<void> {
    await untilReady(this.redis);
    this.counter.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.counter.stop();
    await this.counter.sync().catch(() => undefined);
    this.redis.disconnect();
  }

  readonly onRequest = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const route = request.routeOptions.config as RateLimitRouteConfig | undefined;
    if (route?.notRateLimited) return done();
    const { perAddress, perPrincipal } = this.config.rateLimit;
    const address = `address:${request.ip ?? 'unknown'}`;
    const principal = principalOf(request);
    const refused = this.counter.hit(address, perAddress) ?? (principal === undefined ? undefined : this.counter.hit(`principal:${principal}`, perPrincipal));
    if (refused) return done(tooMany(refused));
    const action = route?.rateLimitedAction;
    if (action === undefined) return done();
    this.actions.hit(`${action}:${this.actionTracker(action, request, address)}`, this.actionLimits[action], HOUR_MS).then(
      (refusal) => done(refusal && tooMany(refusal)),
      (error: Error) => done(error),
    );
  };

  /** Sign-ups per address; invitations (they mail any address with the workspace's name) per workspace. */
  private actionTracker(action: RateLimitedActionName, request: FastifyRequest, address: string): string {
    if (action === 'invitations') return `workspace:${String((request.params as { workspace_id?: string } | undefined)?.workspace_id)}`;
    return address;
  }
}

function tooMany(refusal: Refusal): TooManyRequestsError {
  return new TooManyRequestsError('too many requests; slow down', refusal.retryAfterSeconds);
}
