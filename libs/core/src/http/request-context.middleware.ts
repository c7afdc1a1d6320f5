import { randomUUID } from 'node:crypto';
import { Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { runInContext } from '../context/request-context';

const VALID_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

export function requestIdOf(request: Request): string {
  const given = request.header('x-request-id');
  return given && VALID_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Opens the request's context: its id (echoed back) and, until someone authenticates it, no actor. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const requestId = (request as Request & { id?: string }).id?.toString() ?? requestIdOf(request);
    response.setHeader('X-Request-Id', requestId);
    runInContext({ requestId, correlationId: randomUUID(), actor: { type: 'user', id: 'anonymous' } }, () => next());
  }
}
