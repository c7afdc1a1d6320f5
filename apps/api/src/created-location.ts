import { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

/**
 * `Location` on a 201: where the created entity can be read. Worked out from the router rather
 * than written on each route: a POST to `/…/streams` answering 201 points to the GET route one
 * segment below it (`/…/streams/:stream_id`), with the id the answer names under that parameter
 * (or `id`). A 201 with no such GET route (sign-up, a correction) answers without one.
 */
export function addCreatedLocations(fastify: FastifyInstance): void {
  const reads = new Set<string>();
  const below = new Map<string, string | null>();
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.includes('GET')) reads.add(route.url);
  });
  const readParamBelow = (url: string): string | null => {
    if (!below.has(url)) {
      const read = [...reads].find((candidate) => candidate.startsWith(`${url}/:`) && !candidate.slice(url.length + 2).includes('/'));
      below.set(url, read ? read.slice(url.length + 2) : null);
    }
    return below.get(url)!;
  };
  fastify.addHook('preSerialization', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
    if (reply.statusCode === 201 && request.method === 'POST' && request.routeOptions.url && !reply.hasHeader('location')) {
      const param = readParamBelow(request.routeOptions.url);
      const answer = payload as Record<string, unknown> | null;
      const id = param && (answer?.[param] ?? answer?.id);
      if (typeof id === 'string' && id) reply.header('Location', `${request.url.split('?')[0].replace(/\/+$/, '')}/${encodeURIComponent(id)}`);
    }
    done(null, payload);
  });
}
