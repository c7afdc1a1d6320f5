import { CallHandler, ExecutionContext, Injectable, NestInterceptor, RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { Observable } from 'rxjs';
import { ConsistencyInterceptor, IdempotencyInterceptor } from '@streamplane/core';

/**
 * The HTTP edge of a command: idempotency wraps consistency, so a replay gives back the position
 * header of the first answer. Composed here rather than listed as two interceptors, so Nest's
 * per-interceptor layer (a deferred observable and an AsyncResource bound on every request) is
 * paid once.
 */
@Injectable()
export class EdgeInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyInterceptor,
    private readonly consistency: ConsistencyInterceptor,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return this.idempotency.intercept(context, { handle: () => this.consistency.intercept(context, next) });
  }
}

const COMMAND_METHODS = new Set<RequestMethod>([RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE]);

/**
 * Puts the edge interceptor on every command route (POST, PUT, PATCH, DELETE) of every controller,
 * and on no read: as a global interceptor it made every GET pay Nest's interceptor layer for
 * nothing (about a fifth of a read's CPU). By method rather than by a decorator on each route, so
 * a new command cannot go without idempotency. Must run before the router is registered (before
 * `init()`/`listen()`), which is when Nest reads the metadata; routes already registered keep
 * the instance they were given.
 */
export function interceptCommandRoutes(modules: ModulesContainer, edge: EdgeInterceptor): void {
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype?: object } | undefined)?.prototype;
      if (!prototype) continue;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
        if (typeof handler !== 'function' || !COMMAND_METHODS.has(Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod)) continue;
        // The metadata lives on the class, shared by every app in the process (the e2e tests start
        // several in turn): an earlier app's interceptor is replaced, never stacked.
        const others = ((Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? []).filter((i) => !(i instanceof EdgeInterceptor));
        Reflect.defineMetadata(INTERCEPTORS_METADATA, [edge, ...others], handler);
      }
    }
  }
}
