import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { TestApp } from './test-app';

type Route = { method: string; path: string };
const recorded = new WeakMap<object, Route[]>();

/** Starts recording the routes an app registers; call before `app.init()`, which adds them. */
export function recordRoutes(app: NestFastifyApplication): void {
  const routes: Route[] = [];
  recorded.set(app, routes);
  (app.getHttpAdapter().getInstance() as unknown as FastifyInstance).addHook('onRoute', (options) => {
    // HEAD routes are Fastify's automatic twins of the GET routes.
    for (const method of [options.method].flat()) if (method !== 'HEAD') routes.push({ method: method.toLowerCase(), path: options.url });
  });
}

/** Every route the app serves, as it registered them (so new routes are covered without edits). */
export function registeredRoutes(t: TestApp): Route[] {
  const routes = recorded.get(t.app);
  if (!routes) throw new Error('the app was not started by startTestApp, which records its routes');
  return routes;
}
