import { DynamicModule, Type } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, CoreModule, redactQuery, redactUrl } from '@streamplane/core';
import { ApiModule } from '../../api/src/api.module';
import { ProjectorModule } from '../../projector/src/projector.module';
import { WorkerModule } from '../../worker/src/worker.module';
import { CONTEXT_MODULES } from './contexts';

/** The whole product; `config.roles` decides which of api, projector and worker run in this process. */
export class StreamplaneModule {
  static forRoot(config: AppConfig, extraModules: Array<Type | DynamicModule> = []): DynamicModule {
    return {
      module: StreamplaneModule,
      imports: [
        CoreModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Fastify named the request already (the client's X-Request-Id or a fresh one).
            genReqId: (request) => String((request as { id?: string }).id),
            autoLogging: { ignore: (request) => request.url === '/metrics' || request.url === '/v1/health' },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            // Secrets sent in the query string (a password, an access_token) never reach the logs.
            // (The serialized request keeps its fields on a prototype: set them, do not spread it.)
            serializers: { req: redactLoggedRequest },
          },
        }),
        ...CONTEXT_MODULES,
        ...extraModules,
        ...(config.roles.includes('api') ? [ApiModule] : []),
        ...(config.roles.includes('projector') ? [ProjectorModule] : []),
        ...(config.roles.includes('worker') ? [WorkerModule] : []),
      ],
    };
  }
}

function redactLoggedRequest<R extends { url?: string; query?: unknown }>(req: R): R {
  if (req.url) req.url = redactUrl(req.url);
  if (req.query) req.query = redactQuery(req.query);
  return req;
}
