import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';

/** Actions with a budget of their own on top of the global limits (they send mail to any address). */
export type RateLimitedActionName = 'sign-up' | 'invitations';

/** What the rate limiter reads from a route's Fastify config (set by the decorators below). */
export interface RateLimitRouteConfig {
  notRateLimited?: boolean;
  rateLimitedAction?: RateLimitedActionName;
}

/**
 * Merges into the Fastify route config of a handler (Nest copies a handler's metadata to the
 * route it registers), so the limiter, a Fastify hook, knows a route's budget without Nest's
 * per-request reflection.
 */
function configureRoute(handler: object, config: RateLimitRouteConfig): void {
  const current = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as object | undefined) ?? {};
  Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...current, ...config }, handler);
}

/** Routes outside the limiter: probes and scrapes must answer when a client is being throttled. On a controller: all its routes. */
export const NotRateLimited =
  () =>
  (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (descriptor) return configureRoute(descriptor.value as object, { notRateLimited: true });
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const member = Object.getOwnPropertyDescriptor(prototype, name)?.value;
      if (name !== 'constructor' && typeof member === 'function') configureRoute(member, { notRateLimited: true });
    }
  };

/** Counts the route against the named action's own budget too. */
export const RateLimitedAction =
  (name: RateLimitedActionName): MethodDecorator =>
  (_target, _key, descriptor) =>
    configureRoute(descriptor.value as object, { rateLimitedAction: name });
