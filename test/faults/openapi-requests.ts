import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { encodeComponent, hostileKey, hostileQueryValue, hostileString, hostileValue, nested } from './hostile';
import { FuzzRequest } from './raw-http';

export interface SchemaObject {
  $ref?: string;
  allOf?: SchemaObject[];
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
}

interface OperationObject {
  parameters?: Array<{ name: string; in: string; schema?: SchemaObject }>;
  requestBody?: { content: Record<string, { schema: SchemaObject }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, SchemaObject> };
}

export interface Operation {
  method: string;
  path: string;
  query: Array<{ name: string; schema: SchemaObject }>;
  body?: SchemaObject;
  authenticated: boolean;
}

export interface FuzzContext {
  schemas: Record<string, SchemaObject>;
  /** Real ids (or names) for a path parameter of a path template. */
  pathValues(path: string, name: string): string[];
  /** Every real id, for uuid fields in bodies and queries. */
  uuids: string[];
  /** Realistic values by field name (image versions, emails, statuses…). */
  known: Record<string, string[]>;
  authorization: { owner: string; admin: string; victim: string };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? { type: 'string' } })),
        body: operation.requestBody?.content['application/json']?.schema,
        authenticated: (operation.security ?? []).length > 0,
      })),
  );
}

/** Operations that would end the session or the workspace everything else runs in: run last, or as a throwaway user. */
export function phaseOf(operation: Operation): number {
  if (operation.method === 'DELETE' && operation.path === '/v1/workspaces/{workspace_id}') return 2;
  if (operation.path.endsWith('/transfer-ownership') || (operation.method === 'DELETE' && operation.path === '/v1/me')) return 2;
  return operation.method === 'DELETE' || operation.path === '/v1/auth/sign-out' ? 1 : 0;
}

function resolve(schema: SchemaObject, ctx: FuzzContext): SchemaObject {
  if (schema.$ref) return resolve(ctx.schemas[schema.$ref.replace('#/components/schemas/', '')] ?? {}, ctx);
  if (schema.allOf?.length) return resolve(schema.allOf[0], ctx);
  return schema;
}

function realIds(ctx: FuzzContext): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ctx.uuids) }, fc.uuid());
}

/** A value the schema allows (mostly: the schema does not say everything the server checks). */
export function validValue(schema: SchemaObject, name: string, ctx: FuzzContext): fc.Arbitrary<unknown> {
  const s = resolve(schema, ctx);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  if (ctx.known[name]) return fc.constantFrom(...ctx.known[name]);
  if (s.properties) {
    const model = Object.fromEntries(Object.entries(s.properties).map(([key, property]) => [key, validValue(property, key, ctx)]));
    return fc.record(model, { requiredKeys: (s.required ?? []).filter((key) => key in model) });
  }
  switch (s.type) {
    case 'string':
      if (s.format === 'uuid' || name.endsWith('_id')) return realIds(ctx);
      if (name.endsWith('_ids')) return fc.array(realIds(ctx), { maxLength: 3 }).map((ids) => ids.join(','));
      if (s.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.max(s.minLength ?? 0, Math.min(s.maxLength ?? 40, 40)) });
    case 'number':
    case 'integer':
      return fc.integer({ min: s.minimum ?? -10, max: s.maximum ?? 1_000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(s.items ?? { type: 'string' }, name.replace(/s$/, ''), ctx), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
    case 'object': {
      const values = typeof s.additionalProperties === 'object' && s.additionalProperties.type === 'string' ? fc.string({ maxLength: 20 }) : fc.jsonValue({ maxDepth: 2 });
      const free = fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), values, { maxKeys: 3 });
      // The example carries what the schema cannot say (a stream's data needs a `reference`).
      return s.example && typeof s.example === 'object' ? fc.oneof({ weight: 3, arbitrary: free.map((extra) => ({ ...extra, ...(s.example as object) })) }, free) : free;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

type Body = Record<string, unknown>;

function withKey(body: unknown, key: string, value: unknown): Body {
  // defineProperty: a `__proto__` key must become an own field of the JSON, not a prototype.
  const copy: Body = { ...(body as Body) };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A body of the schema, or one broken in one place: a hostile field value, a missing or extra field, a hostile whole. */
export function bodyArbitrary(schema: SchemaObject, ctx: FuzzContext): fc.Arbitrary<unknown> {
  const s = resolve(schema, ctx);
  const valid = validValue(s, 'body', ctx);
  const keys = Object.keys(s.properties ?? {});
  const objectKeys = keys.filter((key) => resolve(s.properties![key], ctx).type === 'object');
  const options: Array<fc.WeightedArbitrary<unknown>> = [
    { weight: 4, arbitrary: valid },
    { weight: 1, arbitrary: hostileValue },
    { weight: 2, arbitrary: fc.tuple(valid, fc.oneof(hostileKey, fc.constantFrom('id', 'version', 'owner_id', 'is_platform_admin', 'role')), fc.oneof(hostileValue, fc.string())).map(([body, key, value]) => withKey(body, key, value)) },
  ];
  if (keys.length) {
    options.push({ weight: 4, arbitrary: fc.tuple(valid, fc.constantFrom(...keys), hostileValue).map(([body, key, value]) => withKey(body, key, value)) });
    options.push({ weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom(...keys)).map(([body, key]) => Object.fromEntries(Object.entries(body as Body).filter(([k]) => k !== key))) });
  }
  if (objectKeys.length) {
    // Free-form objects (data, envs, policies) reach the database as JSON: hostile keys and values inside them.
    const inner = fc.tuple(valid, fc.constantFrom(...objectKeys), fc.oneof(hostileKey, fc.string({ maxLength: 8 })), hostileValue);
    options.push({ weight: 3, arbitrary: inner.map(([body, key, innerKey, value]) => withKey(body, key, withKey((body as Body)[key] ?? {}, innerKey, value))) });
  }
  return fc.oneof(...options);
}

/** How the body goes on the wire: mostly JSON, sometimes invalid JSON, odd content types or content encodings. */
type Wire = { kind: 'json' } | { kind: 'text'; text: string } | { kind: 'type'; contentType: string } | { kind: 'encoding'; encoding: string; compressed: 'plain' | 'real' | 'truncated' } | { kind: 'none' };

const INVALID_JSON = ['{', '{"a":', '[1,]', 'nul', "{'a':1}", '{"a":1}}', '\u0000', '{"a":"\\ud800"}', '{"email":"\\ud800@x.io","password":"0123456789"}', '{"a":1e999}', '{"a":-0}', '{"a":1,"a":{"b":2}}', '"just a string"', '123', 'null', '[]', '['.repeat(50_000), `${'['.repeat(5_000)}${']'.repeat(5_000)}`, `{"a":${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}}`];
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=xyz', 'application/json; charset=utf-16', 'application/json; charset=iso-8859-1', 'application/json; charset=nonsense', 'application/*', 'application/json; foo', 'application/merge-patch+json', 'APPLICATION/JSON'];
const ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'x-gzip', 'compress', 'gzip, deflate', 'GZIP', 'nonsense', ''];

const wireArbitrary: fc.Arbitrary<Wire> = fc.oneof(
  { weight: 14, arbitrary: fc.constant({ kind: 'json' as const }) },
  { weight: 2, arbitrary: fc.constantFrom(...INVALID_JSON).map((text) => ({ kind: 'text' as const, text })) },
  { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES).map((contentType) => ({ kind: 'type' as const, contentType })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('encoding' as const), encoding: fc.constantFrom(...ENCODINGS), compressed: fc.constantFrom('plain' as const, 'real' as const, 'truncated' as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
);

function compress(encoding: string, bytes: Buffer): Buffer {
  const name = encoding.toLowerCase();
  if (name.includes('br')) return brotliCompressSync(bytes);
  if (name.includes('deflate')) return deflateSync(bytes);
  return gzipSync(bytes);
}

function onTheWire(body: unknown, wire: Wire): { headers: Record<string, string>; body?: Buffer } {
  const json = Buffer.from(JSON.stringify(body) ?? 'null', 'utf8');
  switch (wire.kind) {
    case 'json':
      return { headers: { 'content-type': 'application/json' }, body: json };
    case 'text':
      return { headers: { 'content-type': 'application/json' }, body: Buffer.from(wire.text, 'utf8') };
    case 'type':
      return { headers: { 'content-type': wire.contentType }, body: wire.contentType.includes('urlencoded') ? Buffer.from(formEncode(body)) : json };
    case 'encoding': {
      const packed = wire.compressed === 'plain' ? json : compress(wire.encoding, json);
      const bytes = wire.compressed === 'truncated' ? packed.subarray(0, Math.max(1, packed.length >> 1)) : packed;
      return { headers: { 'content-type': 'application/json', 'content-encoding': wire.encoding }, body: bytes };
    }
    case 'none':
      return { headers: {} };
  }
}

function formEncode(body: unknown): string {
  if (typeof body !== 'object' || body === null) return encodeComponent(String(body));
  return Object.entries(body)
    .map(([key, value]) => `${encodeComponent(key)}=${encodeComponent(typeof value === 'string' ? value : JSON.stringify(value) ?? '')}`)
    .join('&');
}

const GARBAGE_SEGMENTS = ['not-a-uuid', '0', '-1', '%00', '%ED%A0%80', '%', '%zz', '%C0%80', '..', '%2e%2e', '%2F', '%20', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', 'x'.repeat(3_000)];

function pathArbitrary(operation: Operation, ctx: FuzzContext): fc.Arbitrary<string> {
  const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  const values = names.map((name) => {
    const real = ctx.pathValues(operation.path, name);
    return fc.oneof(
      { weight: 10, arbitrary: real.length ? fc.constantFrom(...real).map(encodeComponent) : fc.uuid() },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: fc.constantFrom(...GARBAGE_SEGMENTS) },
      { weight: 1, arbitrary: hostileString.filter((s) => s.length > 0 && s.length < 6_000).map(encodeComponent) },
    );
  });
  return fc.tuple(...values).map((segments) => {
    let i = 0;
    return operation.path.replace(/\{[^}]+\}/g, () => segments[i++]);
  });
}

const EXTRA_QUERY = ['zzz=1', '__proto__=1', '__proto__[x]=1', 'constructor[prototype][x]=1', 'a[b][c][d][e][f][g][h]=1', '%00=1', '%ED%A0%80=1', 'page[]=1', 'page=1&page=2', 'page[$gt]=1', 'page_size=1e18', 'page=-1', 'page=1000000000000000000'];

function queryArbitrary(operation: Operation, ctx: FuzzContext): fc.Arbitrary<string> {
  const params = operation.query.map(({ name, schema }) =>
    fc.option(
      fc.oneof(
        { weight: 3, arbitrary: validValue(schema, name, ctx).map((value) => `${name}=${encodeComponent(String(value))}`) },
        { weight: 3, arbitrary: hostileQueryValue.map((value) => `${name}=${encodeComponent(value)}`) },
        { weight: 1, arbitrary: fc.constantFrom(`${name}[]=1&${name}[]=2`, `${name}=1&${name}=2`, `${name}[a]=1`, `${name}[__proto__]=1`, name) },
      ),
      { nil: undefined, freq: 2 },
    ),
  );
  const extra = fc.option(fc.constantFrom(...EXTRA_QUERY), { nil: undefined, freq: 6 });
  return fc.tuple(extra, ...params).map((parts) => parts.filter((part) => part !== undefined).join('&'));
}

const GARBAGE_AUTH = ['Bearer nonsense', 'Bearer ', 'Basic Zm9vOmJhcg==', `Bearer ${'a'.repeat(8_000)}`, 'bearer sp_session_x', 'Bearer \x80\xff', 'Bearer a b c', 'Bearer %00'];

function authorizationArbitrary(operation: Operation, ctx: FuzzContext): fc.Arbitrary<string | undefined> {
  // The session-ending routes run as a throwaway user, so the owner's session survives the run.
  const own = operation.path === '/v1/auth/sign-out' || operation.path.startsWith('/v1/me') ? ctx.authorization.victim : ctx.authorization.owner;
  const best = operation.path.startsWith('/v1/admin') || operation.path === '/v1/config' ? fc.constantFrom(ctx.authorization.admin, ctx.authorization.admin, own) : fc.constant(own);
  return fc.oneof(
    { weight: operation.authenticated ? 16 : 1, arbitrary: best },
    { weight: operation.authenticated ? 1 : 8, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(...GARBAGE_AUTH) },
  );
}

const extraHeaders = fc.record(
  {
    'if-match': fc.constantFrom('1', '0', '-1', 'abc', '"1"', '99999999999999999999999', '1e3', '*', 'W/"1"', ''),
    'x-min-position': fc.constantFrom('0', '-1', 'abc', '1e400', '340282366920938463463374607431768211456', '9'.repeat(100), '1.5', ''),
    'idempotency-key': fc.oneof(fc.uuid(), fc.constantFrom('k', 'x'.repeat(2_000), ' ', '\xe9\xff', '')),
    'x-request-id': fc.constantFrom('', 'x'.repeat(500), '\x80\xff', 'a b', '%00'),
    accept: fc.constantFrom('application/xml', 'text/html', '*/*;q=abc', ''),
  },
  { requiredKeys: [] },
);

/** Requests for one operation: its path ids real or garbage, query and body from its schema or hostile, odd headers. */
export function requestArbitrary(operation: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const body = operation.body ? fc.option(fc.tuple(bodyArbitrary(operation.body, ctx), wireArbitrary), { nil: undefined, freq: 20 }) : fc.option(fc.tuple(hostileValue, wireArbitrary), { nil: undefined, freq: 2 });
  return fc
    .record({
      path: pathArbitrary(operation, ctx),
      query: queryArbitrary(operation, ctx),
      authorization: authorizationArbitrary(operation, ctx),
      headers: fc.option(extraHeaders, { nil: undefined, freq: 3 }),
      body: operation.method === 'GET' ? fc.constant(undefined) : body,
    })
    .map(({ path, query, authorization, headers, body }) => {
      const wire = body ? onTheWire(body[0], body[1]) : { headers: {} };
      return {
        operation: `${operation.method} ${operation.path}`,
        method: operation.method,
        path: query ? `${path}?${query}` : path,
        headers: { ...headers, ...wire.headers, ...(authorization === undefined ? {} : { authorization }) },
        body: wire.body,
      };
    });
}

/** The cases the fuzz report named, for every operation with a body, so finding them never depends on luck. */
export function targetedRequests(operation: Operation, ctx: FuzzContext, sample: (arbitrary: fc.Arbitrary<unknown>) => unknown): FuzzRequest[] {
  if (!operation.body) return [];
  const schema = resolve(operation.body, ctx);
  const valid = sample(validValue(schema, 'body', ctx));
  const path = sample(pathArbitrary(operation, ctx)) as string;
  const authorization = sample(authorizationArbitrary(operation, ctx).filter((a) => a !== undefined || !operation.authenticated)) as string | undefined;
  const base = { operation: `${operation.method} ${operation.path}`, method: operation.method, path };
  const headers = (extra: Record<string, string>) => ({ 'content-type': 'application/json', ...extra, ...(authorization ? { authorization } : {}) });
  const json = (body: unknown) => Buffer.from(JSON.stringify(body));
  const requests: FuzzRequest[] = [
    { ...base, headers: headers({ 'content-encoding': 'gzip' }), body: json(valid) },
    { ...base, headers: headers({ 'content-encoding': 'gzip' }), body: gzipSync(json(valid)).subarray(0, 10) },
    { ...base, headers: headers({ 'content-encoding': 'br' }), body: json(valid) },
  ];
  for (const key of Object.keys(schema.properties ?? {})) {
    for (const value of [nested(3_000, 'array'), nested(3_000, 'object'), '\ud800', 'a\u0000b', { 'k\u0000': 'v', v: '\udfff' }]) {
      requests.push({ ...base, headers: headers({}), body: json(withKey(valid, key, value)) });
    }
  }
  return requests;
}
