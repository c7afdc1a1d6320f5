import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

const COMMANDS = new Set<Method>(['post', 'put', 'patch', 'delete']);
const PROBLEM = { $ref: '#/components/schemas/Problem' };

/** The headers every route reads, declared once and referenced by each operation. */
const HEADERS = {
  RequestId: {
    name: 'X-Request-Id',
    in: 'header',
    required: false,
    description: 'Your id for this request (≤ 128 printable characters); echoed back, generated when absent, and kept on the events the request writes as request_id.',
    schema: { type: 'string', maxLength: 128 },
  },
  MinPosition: {
    name: 'X-Min-Position',
    in: 'header',
    required: false,
    description: 'Read your writes: wait (bounded) until the read models hold this log position (an X-Event-Position you were given). The answer carries X-Consistency: stale if they did not in time.',
    schema: { type: 'string', pattern: '^[0-9]{1,19}$' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'Retry safely: the same key and request replay the first answer (Idempotent-Replayed: true); the same key with another request is a 422. Keys are per caller.',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: "The entity's version you read (its ETag); the command is refused with 409 if the entity changed since.",
    schema: { type: 'string' },
  },
} as const;

/** The operation id a client generator turns into a method name: `StreamsController.create` → `streams.create`. */
export function operationId(controllerKey: string, methodKey: string): string {
  const resource = controllerKey.replace(/Controller$/, '');
  return `${resource.charAt(0).toLowerCase()}${resource.slice(1)}.${methodKey}`;
}

/**
 * What the route decorators cannot say once for all routes: the shared headers as parameters,
 * every error as problem+json, and tokens that are opaque (not JWTs).
 */
export function completeContract(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    parameters: { ...document.components?.parameters, ...HEADERS },
    schemas: { ...document.components?.schemas, Problem: problemSchema() },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (operation) completeOperation(operation, method);
    }
  }
  return document;
}

function completeOperation(operation: Operation, method: Method): void {
  const headers = ['RequestId', 'MinPosition', ...(COMMANDS.has(method) ? ['IdempotencyKey', 'IfMatch'] : [])];
  operation.parameters = [...(operation.parameters ?? []), ...headers.map((name) => ({ $ref: `#/components/parameters/${name}` }))];
  for (const [status, response] of Object.entries(operation.responses)) {
    if (/^[45]/.test(status) && response && 'description' in response && !response.content) response.content = { 'application/problem+json': { schema: PROBLEM } };
  }
  operation.responses.default ??= { description: 'Any other error, as problem+json (RFC 9457)', content: { 'application/problem+json': { schema: PROBLEM } } };
}

function problemSchema() {
  return {
    type: 'object',
    description: 'RFC 9457 problem details; `code` is stable for programs, `detail` is for people, `errors` names each bad field.',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: {
      type: { type: 'string', example: '/problems/validation_failed' },
      title: { type: 'string', example: 'Bad Request' },
      status: { type: 'integer', example: 400 },
      detail: { type: 'string' },
      code: { type: 'string', example: 'validation_failed' },
      errors: {
        type: 'array',
        items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
      },
    },
  };
}

export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Streamplane API')
    .setDescription('Event-sourced control plane for media-stream processing fleets')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'An opaque token: sp_session_… from sign-in, or sp_api_… from POST /v1/tokens.' })
    .build();
  const document = completeContract(SwaggerModule.createDocument(app, config, { operationIdFactory: operationId }));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
}
