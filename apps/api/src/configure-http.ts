import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { json, NextFunction, Request, Response, urlencoded } from 'express';
import helmet from 'helmet';
import { APP_CONFIG, AppConfig, createValidationPipe, ProblemDetailsFilter, QueueRegistry, rejectUnstorableInput, toProblem } from '@streamplane/core';
import { TokenAuthenticator } from '@streamplane/identity';
import { answerClientError } from './client-error';

export const KNOWN_QUEUES = ['stream-leases', 'deploys', 'instance-health', 'metering', 'webhooks', 'invitations'];

/** Everything about the HTTP surface that is not a route: bodies, validation, errors, docs, dashboard. */
export function configureHttp(app: NestExpressApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  // Express' parsers with our own error handler: Nest's would turn a parse error into a bare 400.
  // `inflate: false`: a compressed body is a 415, never a zlib error (a 500) or a decompression bomb.
  // Then input no value can be valid with (NULs, lone surrogates, deep nesting) is a 400 naming the
  // field, before class-transformer recurses into it or PostgreSQL refuses it.
  const parsers = { limit: config.bodyLimit, inflate: false };
  app.use(json(parsers), urlencoded({ ...parsers, extended: false }), rejectUnstorableInput, sendBodyError);
  // URLs or headers over Node's limit and malformed requests never reach Express.
  app.getHttpServer().on('clientError', answerClientError);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.set('x-powered-by', false);
  // helmet's defaults (CSP with script-src 'self', nosniff, frame-ancestors 'self', HSTS, …).
  // Swagger UI loads its scripts from files and keeps inline styles, which the default CSP allows
  // ('unsafe-inline' for styles only); the e2e test loads /docs under it. No upgrade-insecure-requests:
  // an install served over plain HTTP on an address would lose its own scripts and styles.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  // Off by default: X-Forwarded-For is the client's to write, so trusting it without a proxy
  // would let anyone choose their own rate-limit bucket.
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'extended');
  setupOpenApi(app);
  mountQueueDashboard(app);
}

function setupOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Streamplane API')
      .setDescription('Event-sourced control plane for media-stream processing fleets')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
}

function sendBodyError(error: unknown, _request: Request, response: Response, _next: NextFunction): void {
  sendProblem(response, error);
}

function sendProblem(response: Response, error: unknown): void {
  const problem = toProblem(error);
  response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/** bull-board at /admin/queues, for platform admins only. */
function mountQueueDashboard(app: NestExpressApplication): void {
  const queues = app.get(QueueRegistry);
  const authenticator = app.get(TokenAuthenticator);
  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({ queues: KNOWN_QUEUES.map((name) => new BullMQAdapter(queues.queue(name))), serverAdapter: board });
  app.use('/admin/queues', (request: Request, response: Response, next: NextFunction) => {
    authenticator.requirePlatformAdmin(request.header('authorization')).then(
      () => next(),
      (error) => sendProblem(response, error),
    );
  });
  app.use('/admin/queues', board.getRouter());
}
