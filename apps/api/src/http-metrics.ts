import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { MetricsService } from '@streamplane/core';

/** Times every request; labelled by route pattern, not URL, so ids do not explode the series. */
export function recordRequestMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(MetricsService);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onResponse', (request, reply, done) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    metrics.httpRequests.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}
