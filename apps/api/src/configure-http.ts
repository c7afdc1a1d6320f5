import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, AppConfig, createValidationPipe, ProblemDetailsFilter, QueueRegistry, toProblem } from '@streamplane/core';
import { isPlatformAdmin } from './platform/admin.guard';

export const KNOWN_QUEUES = ['stream-processing', 'deploys', 'metering', 'webhooks'];

/** Everything about the HTTP surface that is not a route: bodies, validation, errors, docs, dashboard. */
export function configureHttp(app: NestExpressApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useBodyParser('json', { limit: config.bodyLimit });
  app.useBodyParser('urlencoded', { limit: config.bodyLimit, extended: false });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.set('x-powered-by', false);
  app.set('query parser', 'extended');
  setupOpenApi(app);
  mountQueueDashboard(app, config);
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

/** bull-board at /admin/queues, for platform admins only. */
function mountQueueDashboard(app: NestExpressApplication, config: AppConfig): void {
  const queues = app.get(QueueRegistry);
  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({ queues: KNOWN_QUEUES.map((name) => new BullMQAdapter(queues.queue(name))), serverAdapter: board });
  app.use('/admin/queues', (request: Request, response: Response, next: NextFunction) => {
    try {
      isPlatformAdmin(request.header('authorization'), config.adminToken);
      next();
    } catch (error) {
      const problem = toProblem(error);
      response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
    }
  });
  app.use('/admin/queues', board.getRouter());
}
