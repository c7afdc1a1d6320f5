import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { ConsistencyInterceptor, IdempotencyInterceptor } from '@streamplane/core';

/**
 * The HTTP edge's two interceptors as one global interceptor: idempotency wraps consistency, so
 * a replay gives back the position header of the first answer. Composed here rather than listed
 * as two APP_INTERCEPTORs, Nest's per-interceptor layer (a deferred observable and an
 * AsyncResource bound on every request) is paid once.
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
