import { registeredRoutes } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';

interface Operation {
  operationId?: string;
  requestBody?: unknown;
  parameters?: Array<{ $ref?: string; name?: string }>;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** `/v1/workspaces/:workspace_id` → `/v1/workspaces/{workspace_id}` */
const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

describe('The OpenAPI document describes every route the app serves', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, Operation>>;
  let components: { securitySchemes: Record<string, { bearerFormat?: string; scheme?: string }>; parameters: Record<string, { name: string }>; schemas: Record<string, { properties: Record<string, unknown> }> };
  beforeAll(async () => {
    t = await startTestApp('openapi');
    const document = (await t.http.get('/docs/openapi.json').expect(200)).body;
    paths = document.paths;
    components = document.components;
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

  it('keeps schemas of the same class name apart: a stream location and a catalog location each keep their own fields', () => {
    // Swagger names a schema by its class: two DTOs of one name would silently overwrite each other.
    expect(Object.keys(components.schemas.StreamLocationResponse.properties)).toEqual(expect.arrayContaining(['city', 'geo_position']));
    expect(Object.keys(components.schemas.LocationResponse.properties)).toEqual(expect.arrayContaining(['name', 'carbon_intensity_g_per_kwh']));
  });

  it('gives each a readable, unique operation id (resource.method) for client generators', () => {
    const ids = apiRoutes().map(({ method, path }) => paths[openApiPath(path)][method].operationId ?? `${method} ${path}: none`);
    expect(ids.filter((id) => !/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/.test(id))).toEqual([]);
    expect(ids.filter((id, n) => ids.indexOf(id) !== n)).toEqual([]);
    expect(ids).toContain('streams.create');
  });

  it('declares the shared headers on each route: request id and min position everywhere, idempotency key and If-Match on commands', () => {
    const headerNames = (operation: Operation) =>
      (operation.parameters ?? []).map((p) => (p.$ref ? components.parameters[p.$ref.split('/').pop()!].name : p.name));
    const gaps: string[] = [];
    for (const { method, path } of apiRoutes()) {
      const names = headerNames(paths[openApiPath(path)][method]);
      const expected = ['X-Request-Id', 'X-Min-Position', ...(method === 'get' ? [] : ['Idempotency-Key', 'If-Match'])];
      for (const name of expected) if (!names.includes(name)) gaps.push(`${method} ${path}: ${name}`);
    }
    expect(gaps).toEqual([]);
  });

  it('answers every error of every route as problem+json, and calls the bearer token opaque', () => {
    const gaps: string[] = [];
    for (const { method, path } of apiRoutes()) {
      const responses = paths[openApiPath(path)][method].responses;
      if (!responses.default?.content?.['application/problem+json']) gaps.push(`${method} ${path}: no default problem`);
      for (const [status, answer] of Object.entries(responses)) {
        // The one exception: /v1/health's 503 is its report, the same shape as its 200.
        const report = path === '/v1/health' && status === '503' && answer.content?.['application/json'];
        if (/^[45]/.test(status) && !answer.content?.['application/problem+json'] && !report) gaps.push(`${method} ${path}: ${status} not problem+json`);
      }
    }
    expect(gaps).toEqual([]);
    expect(components.securitySchemes.bearer).toMatchObject({ scheme: 'bearer' });
    expect(components.securitySchemes.bearer.bearerFormat).not.toBe('JWT');
  });
});
