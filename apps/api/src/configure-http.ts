import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import {
  APP_CONFIG,
  AppConfig,
  createValidationPipe,
  entityVersionETag,
  GlobalRateLimiter,
  echoRequestId,
  openRequestContext,
  ProblemDetailsFilter,
  QueueRegistry,
  rejectUnstorableInput,
  sendProblem,
  UnsupportedMediaTypeError,
} from '@streamplane/core';
import { TokenAuthenticator } from '@streamplane/identity';
import { ModulesContainer } from '@nestjs/core';
import { EdgeInterceptor, interceptCommandRoutes } from './edge.interceptor';
import { addCreatedLocations } from './created-location';
import { recordRequestMetrics } from './http-metrics';
import { setupOpenApi } from './openapi';
import { securityHeaders } from './security-headers';

export const KNOWN_QUEUES = ['stream-leases', 'deploys', 'instance-health', 'metering', 'webhooks', 'invitations'];
const QUEUE_DASHBOARD = '/admin/queues';

/** Everything about the HTTP surface that is not a route: bodies, validation, errors, headers, docs, dashboard. */
export async function configureHttp(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', echoRequestId);
  // helmet's defaults (CSP with script-src 'self', nosniff, frame-ancestors 'self', HSTS, …).
  // Swagger UI loads its scripts from files and keeps inline styles, which the default CSP allows
  // ('unsafe-inline' for styles only); the e2e test loads /docs under it. No upgrade-insecure-requests:
  // an install served over plain HTTP on an address would lose its own scripts and styles.
  fastify.addHook('onRequest', securityHeaders({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  fastify.addHook('onRequest', refuseCompressedBodies);
  const config = app.get<AppConfig>(APP_CONFIG);
  const servesApi = config.roles.includes('api');
  if (config.corsOrigins.length) app.enableCors(corsOptions(config.corsOrigins));
  if (servesApi) fastify.addHook('onRequest', app.get(GlobalRateLimiter).onRequest);
  // After the body is parsed: input no value can be valid with (NULs, lone surrogates, deep
  // nesting) is a 400 naming the field, before class-transformer recurses into it or PostgreSQL
  // refuses it; then the request's context opens for everything that follows.
  fastify.addHook('preValidation', rejectUnstorableInput);
  fastify.addHook('preValidation', openRequestContext);
  fastify.addHook('preSerialization', entityVersionETag);
  addCreatedLocations(fastify);
  if (servesApi) interceptCommandRoutes(app.get(ModulesContainer), app.get(EdgeInterceptor));
  recordRequestMetrics(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  setupOpenApi(app);
  await mountQueueDashboard(app, fastify);
}

/**
 * CORS for browser clients of the origins in CORS_ORIGINS: the headers our contract reads and
 * sends must cross too, or a browser app could neither retry safely nor read its own writes.
 * No credentials: tokens travel in the Authorization header, never in cookies.
 */
function corsOptions(origins: string[]) {
  return {
    origin: origins[0] === '*' ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Min-Position', 'X-Request-Id'],
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Event-Position', 'X-Consistency', 'X-Request-Id', 'Idempotent-Replayed'],
    maxAge: 600,
  };
}

/** A compressed body is a 415, never a zlib error or a decompression bomb: bodies are small JSON. */
function refuseCompressedBodies(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const encoding = request.headers['content-encoding'];
  const compressed = encoding !== undefined && encoding.trim().toLowerCase() !== 'identity';
  done(compressed ? new UnsupportedMediaTypeError('unsupported_content_encoding', 'send the request body uncompressed (no Content-Encoding, or identity)') : undefined);
}

/** bull-board at /admin/queues, for platform admins only. */
async function mountQueueDashboard(app: NestFastifyApplication, fastify: FastifyInstance): Promise<void> {
  const queues = app.get(QueueRegistry);
  const authenticator = app.get(TokenAuthenticator);
  const board = new BullBoardFastifyAdapter();
  board.setBasePath(QUEUE_DASHBOARD);
  createBullBoard({ queues: KNOWN_QUEUES.map((name) => new BullMQAdapter(queues.queue(name))), serverAdapter: board });
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(QUEUE_DASHBOARD)) return;
    try {
      await authenticator.requirePlatformAdmin(request.headers.authorization);
    } catch (error) {
      sendProblem(reply, error);
      return reply;
    }
  });
  await app.register(board.registerPlugin() as never, { prefix: QUEUE_DASHBOARD });
}
