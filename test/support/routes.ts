import { TestApp } from './test-app';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route the app serves, read off the live Express router (so new routes are covered without edits). */
export function registeredRoutes(t: TestApp): Array<{ method: string; path: string }> {
  const stack = (t.app.getHttpAdapter().getInstance() as { router: { stack: RouteLayer[] } }).router.stack;
  return stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((method) => method !== '_all')
        .map((method) => ({ method, path: layer.route!.path })),
    );
}
