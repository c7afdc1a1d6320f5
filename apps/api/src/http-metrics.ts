import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { MetricsService } from '@streamplane/core';

/**
 * Times every request; labelled by route pattern, not URL, so ids do not explode the series.
 * Each series' child is found once and kept: prom-client would otherwise hash the labels object
 * on every observation.
 */
export function recordRequestMetrics(app: NestFastifyApplication): void {
  const histogram = app.get(MetricsService).httpRequests;
  const series = new Map<string, ReturnType<typeof histogram.labels>>();
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let child = series.get(key);
    if (child === undefined) series.set(key, (child = histogram.labels({ method: request.method, route, status: String(reply.statusCode) })));
    child.observe(reply.elapsedTime / 1000);
    done();
  });
}
