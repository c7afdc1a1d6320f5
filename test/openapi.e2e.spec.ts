import { registeredRoutes } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';

interface Operation {
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** `/v1/workspaces/:workspace_id` → `/v1/workspaces/{workspace_id}` */
const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

describe('The OpenAPI document describes every route the app serves', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    t = await startTestApp('openapi');
    paths = (await t.http.get('/docs/openapi.json').expect(200)).body.paths;
  });
  afterAll(() => t.close());

  const apiRoutes = () => registeredRoutes(t).filter((route) => route.path.startsWith('/v1/'));

  it('lists each /v1 route of the router with its method', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter(({ method, path }) => !paths[openApiPath(path)]?.[method]).map(({ method, path }) => `${method} ${path}`);
    expect(missing).toEqual([]);
  });

  it('gives each a success answer with a schema (or 204), and each write with a JSON body its request schema', () => {
    const gaps: string[] = [];
    for (const { method, path } of apiRoutes()) {
      const operation = paths[openApiPath(path)][method];
      const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      // JSON answers, or a stream in another media type (the events export), each with its schema.
      const described = success.some(([status, answer]) => status === '204' || Object.values(answer.content ?? {}).some((media) => media.schema));
      if (!described) gaps.push(`${method} ${path}: no success schema`);
    }
    expect(gaps).toEqual([]);
  });

  it('names the request bodies of the identity and workspace commands', () => {
    const bodyOf = (method: string, path: string) => paths[path][method].requestBody;
    for (const [method, path] of [
      ['post', '/v1/auth/sign-up'],
      ['post', '/v1/auth/sign-in'],
      ['post', '/v1/auth/verify'],
      ['post', '/v1/auth/reset-password/confirm'],
      ['put', '/v1/me/password'],
      ['post', '/v1/tokens'],
      ['post', '/v1/workspaces'],
      ['patch', '/v1/workspaces/{workspace_id}'],
      ['post', '/v1/workspaces/{workspace_id}/members'],
      ['patch', '/v1/workspaces/{workspace_id}/members/{user_id}'],
      ['post', '/v1/workspaces/{workspace_id}/transfer-ownership'],
      ['post', '/v1/workspaces/{workspace_id}/limit-requests'],
    ]) {
      expect({ route: `${method} ${path}`, body: bodyOf(method, path) }).toEqual({ route: `${method} ${path}`, body: expect.anything() });
    }
  });
});
