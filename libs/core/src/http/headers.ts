import { FastifyRequest } from 'fastify';

/** A request header's value; the first one when a client sent it more than once. */
export function headerOf(request: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
