import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { FastifyReply, FastifyRequest } from 'fastify';
import { from, Observable, of, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { currentContext } from '../context/request-context';
import { IdempotencyInProgressError, IdempotencyMismatchError, ValidationError } from '../domain/domain-errors';
import { headerOf } from '../http/headers';
import { IdempotencyStore } from './idempotency.store';
import { SecretNotReplayableError, SHOWN_ONCE_FIELDS, WITHHELD_HEADER, withoutFields } from './shown-once';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;
/** Headers worth giving back on a replay; the rest (ETag, Location) are worked out again from the body. */
const REPLAYED_HEADERS = ['x-event-position'];

/**
 * Idempotency-Key: the same key and request replay the first response (Idempotent-Replayed: true);
 * the same key with another request is a 422. Keys are per principal, so two clients never clash.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const key = headerOf(request, 'idempotency-key');
    if (!MUTATING.has(request.method) || key === undefined) return next.handle();
    if (!VALID_KEY.test(key)) {
      return throwError(() => new ValidationError('invalid Idempotency-Key', [{ field: 'Idempotency-Key', message: 'must be 1 to 255 printable characters' }]));
    }
    const requestContext = currentContext();
    const principal = requestContext ? `${requestContext.actor.type}:${requestContext.actor.id}` : 'anonymous';
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const response = http.getResponse<FastifyReply>();

    return from(this.store.claim(principal, key, fingerprint)).pipe(
      mergeMap((claim) => {
        if (claim.outcome === 'mismatch') throw new IdempotencyMismatchError('this Idempotency-Key was used for a different request');
        if (claim.outcome === 'in_progress') throw new IdempotencyInProgressError('a request with this Idempotency-Key is still being processed; retry shortly');
        if (claim.outcome === 'replay') {
          const withheld = claim.response.headers[WITHHELD_HEADER];
          if (withheld) throw secretNotReplayable(withheld, claim.response.body);
          response.status(claim.response.code);
          for (const [name, value] of Object.entries(claim.response.headers)) response.header(name, value);
          response.header('Idempotent-Replayed', 'true');
          return of(claim.response.body);
        }
        if (requestContext) requestContext.idempotencyKey = key;
        return next.handle().pipe(
          mergeMap(async (body) => {
            const code = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);
            const headers: Record<string, string> = {};
            for (const name of REPLAYED_HEADERS) {
              const value = response.getHeader(name);
              if (value !== undefined) headers[name] = String(value);
            }
            const secretFields = this.reflector.get<string[] | undefined>(SHOWN_ONCE_FIELDS, context.getHandler());
            if (secretFields?.length) headers[WITHHELD_HEADER] = secretFields.join(',');
            await this.store.complete(principal, key, { code, headers, body: secretFields?.length ? withoutFields(body, secretFields) : body });
            return body;
          }),
          catchError(async (error) => {
            // The request's own error is the answer; a key that cannot be released now (the
            // database is away) is taken over once its claim is old.
            await this.store.release(principal, key).catch(() => undefined);
            throw error;
          }),
        );
      }),
    );
  }
}

function secretNotReplayable(fields: string, storedBody: unknown): SecretNotReplayableError {
  const id = typeof storedBody === 'object' && storedBody !== null && 'id' in storedBody ? ` (id ${String(storedBody.id)})` : '';
  return new SecretNotReplayableError(
    `the first request with this Idempotency-Key succeeded${id}, but its ${fields} is shown only once and was not kept; ` +
      'if the answer was lost, revoke what it created and make a new one with a new key',
  );
}
