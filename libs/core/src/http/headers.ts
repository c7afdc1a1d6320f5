import { FastifyRequest } from 'fastify';

/**
 * The token of an `Authorization: Bearer <token>` header, or undefined. The one parser: the rate
 * limiter and the guards must agree on which requests carry a token, or a header shaped to pass
 * one and not the other would escape the per-token budget.
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
}

/** A request header's value; the first one when a client sent it more than once. */
export function headerOf(request: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
