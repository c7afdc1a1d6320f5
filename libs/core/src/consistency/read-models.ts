import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { ValidationError } from '../domain/domain-errors';
import { headerOf } from '../http/headers';

const READ_MODELS = 'streamplane:read-models';

/** The contexts whose read models a route's commands must reach before answering, and its reads wait for. */
export const ReadModels = (...contexts: string[]) => SetMetadata(READ_MODELS, contexts);

/** A route's read models, looked up once per route rather than reflected on every request. */
export class RouteReadModels {
  private readonly byHandler = new WeakMap<object, string[] | undefined>();

  constructor(private readonly reflector: Reflector) {}

  of(context: ExecutionContext): string[] | undefined {
    const handler = context.getHandler();
    if (!this.byHandler.has(handler)) this.byHandler.set(handler, this.reflector.getAllAndOverride<string[] | undefined>(READ_MODELS, [handler, context.getClass()]));
    return this.byHandler.get(handler);
  }
}

/** A header holding a whole number (a position or a version), or a 400 naming it. */
export function headerNumber(request: FastifyRequest, name: string, pattern: RegExp): bigint | undefined {
  const raw = headerOf(request, name);
  if (raw === undefined) return undefined;
  const match = pattern.exec(raw.trim());
  if (!match) throw new ValidationError(`invalid ${name} header`, [{ field: name, message: 'must be a non-negative whole number' }]);
  return BigInt(match[1] ?? match[0]);
}
