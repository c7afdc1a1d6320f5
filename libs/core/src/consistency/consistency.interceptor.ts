import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { FastifyReply, FastifyRequest } from 'fastify';
import { from, Observable } from 'rxjs';
import { mergeMap } from 'rxjs/operators';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { currentContext } from '../context/request-context';
import { ValidationError } from '../domain/domain-errors';
import { headerOf } from '../http/headers';
import { ConsistencyService } from './consistency.service';

const READ_MODELS = 'streamplane:read-models';

/** The contexts whose read models a route's commands must reach before answering, and its reads wait for. */
export const ReadModels = (...contexts: string[]) => SetMetadata(READ_MODELS, contexts);

const POSITION = /^\d{1,19}$/;
const VERSION = /^W?\/?"?(\d{1,19})"?$/;

function headerNumber(request: FastifyRequest, name: string, pattern: RegExp): bigint | undefined {
  const raw = headerOf(request, name);
  if (raw === undefined) return undefined;
  const match = pattern.exec(raw.trim());
  if (!match) throw new ValidationError(`invalid ${name} header`, [{ field: name, message: 'must be a non-negative whole number' }]);
  return BigInt(match[1] ?? match[0]);
}

/**
 * Read-your-writes and optimistic concurrency at the HTTP edge: `If-Match` pins the version a
 * command expects; a command answers with `X-Event-Position` once its context's read models hold
 * it; a read with `X-Min-Position` waits (bounded) for the read models to reach that position.
 */
@Injectable()
export class ConsistencyInterceptor implements NestInterceptor {
  private readonly readModels = new WeakMap<object, string[] | undefined>();

  constructor(
    private readonly consistency: ConsistencyService,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const contexts = this.readModelsOf(context);
    const requestContext = currentContext();
    const pinned = headerNumber(request, 'If-Match', VERSION);
    if (pinned !== undefined && requestContext) requestContext.expectedVersion = pinned;
    const minPosition = headerNumber(request, 'X-Min-Position', POSITION);

    const handled = minPosition === undefined ? next.handle() : from(this.waitForMinPosition(minPosition, contexts)).pipe(
      mergeMap((reached) => {
        if (!reached) response.header('X-Consistency', 'stale');
        return next.handle();
      }),
    );
    return handled.pipe(
      mergeMap((body) => {
        // The entity's version is its ETag, so what a read sends is what If-Match takes back.
        const version = (body as { version?: unknown } | null)?.version;
        if (typeof version === 'number') response.header('ETag', `"${version}"`);
        const written = requestContext?.writtenPosition;
        // A read (nothing written) answers at once, without a promise per request.
        return written === undefined ? [body] : this.afterWrite(written, contexts, response, body);
      }),
    );
  }

  /** The route's read models, looked up once per route rather than reflected on every request. */
  private readModelsOf(context: ExecutionContext): string[] | undefined {
    const handler = context.getHandler();
    if (!this.readModels.has(handler)) this.readModels.set(handler, this.reflector.getAllAndOverride<string[] | undefined>(READ_MODELS, [handler, context.getClass()]));
    return this.readModels.get(handler);
  }

  /** A command answers once its context's read models hold what it wrote (bounded), with the position. */
  private async afterWrite(written: bigint, contexts: string[] | undefined, response: FastifyReply, body: unknown): Promise<unknown> {
    response.header('X-Event-Position', written.toString());
    const caughtUp = await this.consistency.waitFor(written, contexts, this.config.readYourWritesTimeoutMs);
    if (!caughtUp) response.header('X-Consistency', 'stale');
    this.consistency.caughtUp(contexts);
    return body;
  }

  /**
   * A position above the log's head was never written: waiting for it would only hold the request
   * (anyone's, /v1/health included) for the whole bound. It answers at once, marked stale.
   */
  private async waitForMinPosition(position: bigint, contexts: string[] | undefined): Promise<boolean> {
    if (position > (await this.store.headPosition())) return false;
    return this.consistency.waitFor(position, contexts, this.config.minPositionTimeoutMs);
  }
}
