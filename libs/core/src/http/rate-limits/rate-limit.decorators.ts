import { ExecutionContext, SetMetadata } from '@nestjs/common';

const NOT_RATE_LIMITED = 'streamplane:not-rate-limited';
const RATE_LIMITED_ACTION = 'streamplane:rate-limited-action';

/** Actions with a budget of their own on top of the global limits (they send mail to any address). */
export type RateLimitedActionName = 'sign-up' | 'invitations';

/** Routes outside the limiter: probes and scrapes must answer when a client is being throttled. */
export const NotRateLimited = () => SetMetadata(NOT_RATE_LIMITED, true);

/** Counts the route against the named action's own budget too. */
export const RateLimitedAction = (name: RateLimitedActionName) => SetMetadata(RATE_LIMITED_ACTION, name);

export function isNotRateLimited(context: ExecutionContext): boolean {
  return Reflect.getMetadata(NOT_RATE_LIMITED, context.getHandler()) === true || Reflect.getMetadata(NOT_RATE_LIMITED, context.getClass()) === true;
}

export function rateLimitedActionOf(context: ExecutionContext): RateLimitedActionName | undefined {
  return Reflect.getMetadata(RATE_LIMITED_ACTION, context.getHandler());
}
