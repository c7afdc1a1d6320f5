import { createHash } from 'node:crypto';
import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModuleOptions, ThrottlerOptions } from '@nestjs/throttler';
import { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { FastifyRequest } from 'fastify';
import IORedis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { TooManyRequestsError } from '../../domain/domain-errors';
import { headerOf } from '../headers';
import { isNotRateLimited, rateLimitedActionOf, RateLimitedActionName } from './rate-limit.decorators';
import { RedisThrottlerStorage } from './redis-throttler-storage';

/** The bearer token's hash: a principal's bucket, known before authentication runs (guards run after this one). */
function principalOf(request: FastifyRequest): string | undefined {
  const token = /^Bearer (\S+)$/i.exec(headerOf(request, 'authorization') ?? '')?.[1];
  return token && createHash('sha256').update(token).digest('hex');
}

const byAddress = (request: Record<string, unknown>) => `address:${(request as unknown as FastifyRequest).ip ?? 'unknown'}`;
/** Keys are global per tracker, not per route (the library's default): one budget across all routes. */
const globalKey = (_context: ExecutionContext, tracker: string, name: string) => `${name}:${tracker}`;

function action(name: RateLimitedActionName, limit: number, getTracker: ThrottlerOptions['getTracker']): ThrottlerOptions {
  return { name, limit, ttl: 3600_000, skipIf: (context) => rateLimitedActionOf(context) !== name, getTracker, generateKey: globalKey };
}

/** The throttlers: per address and per principal for every route, plus the budgets of mail-sending actions. */
export function rateLimitOptions(config: AppConfig, redis: IORedis): ThrottlerModuleOptions {
  const { rateLimit } = config;
  const windowMs = rateLimit.windowSeconds * 1000;
  return {
    storage: new RedisThrottlerStorage(redis, config.queuePrefix),
    setHeaders: false,
    throttlers: [
      { name: 'address', limit: rateLimit.perAddress, ttl: windowMs, getTracker: byAddress, generateKey: globalKey },
      {
        name: 'principal',
        limit: rateLimit.perPrincipal,
        ttl: windowMs,
        skipIf: (context) => principalOf(context.switchToHttp().getRequest()) === undefined,
        getTracker: (request) => `principal:${principalOf(request as unknown as FastifyRequest)}`,
        generateKey: globalKey,
      },
      action('sign-up', rateLimit.signUpsPerHour, byAddress),
      // Invitations mail any address with the workspace's name: a budget per workspace.
      action('invitations', rateLimit.invitationsPerHour, (request) => `workspace:${String((request as unknown as FastifyRequest<{ Params: { workspace_id?: string } }>).params?.workspace_id)}`),
    ],
  };
}

/** @nestjs/throttler's guard, answering like every other error here: 429 problem+json with Retry-After. */
@Injectable()
export class GlobalRateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http' || isNotRateLimited(context);
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new TooManyRequestsError('too many requests; slow down', Math.max(1, detail.timeToBlockExpire));
  }
}
