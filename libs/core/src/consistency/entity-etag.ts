import { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fastify preSerialization hook: an answer that is an entity with a version sends that version as
 * its ETag, so what a read sends is exactly what `If-Match` takes back.
 */
export function entityVersionETag(_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void): void {
  const version = (payload as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && !reply.hasHeader('etag')) reply.header('ETag', `"${version}"`);
  done(null, payload);
}
