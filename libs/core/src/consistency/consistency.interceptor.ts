import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { mergeMap } from 'rxjs/operators';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { currentContext } from '../context/request-context';
import { ConsistencyService } from './consistency.service';
import { headerNumber, RouteReadModels } from './read-models';

const VERSION = /^W?\/?"?(\d{1,19})"?$/;

/**
 * Optimistic concurrency and read-your-writes for commands: `If-Match` pins the version a command
 * expects; a command answers with `X-Event-Position` once its context's read models hold it.
 * (Reads get `X-Min-Position` from MinPositionGate and their ETag from entityVersionETag.)
 */
@Injectable()
export class ConsistencyInterceptor implements NestInterceptor {
  private readonly readModels: RouteReadModels;

  constructor(
    private readonly consistency: ConsistencyService,
    reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.readModels = new RouteReadModels(reflector);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const requestContext = currentContext();
    const pinned = headerNumber(request, 'If-Match', VERSION);
    if (pinned !== undefined && requestContext) requestContext.expectedVersion = pinned;
    return next.handle().pipe(
      mergeMap((body) => {
        const written = requestContext?.writtenPosition;
        return written === undefined ? [body] : this.afterWrite(written, this.readModels.of(context), response, body);
      }),
    );
  }

  /** A command answers once its context's read models hold what it wrote (bounded), with the position. */
  private async afterWrite(written: bigint, contexts: string[] | undefined, response: FastifyReply, body: unknown): Promise<unknown> {
    response.header('X-Event-Position', written.toString());
    const caughtUp = await this.consistency.waitFor(written, contexts, this.config.readYourWritesTimeoutMs);
    if (!caughtUp) response.header('X-Consistency', 'stale');
    this.consistency.caughtUp(contexts);
    return body;
  }
}
