import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppConfig, ConfigError, loadConfig, Role } from '@streamplane/core';
import { configureHttp } from '../../api/src/configure-http';
import { preflight } from './preflight';
import { StreamplaneModule } from './streamplane.module';

/** Builds the application for a configuration: used by every entry point and by the e2e tests. */
export async function createApp(config: AppConfig, extraModules: Array<Type | DynamicModule> = []): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(StreamplaneModule.forRoot(config, extraModules), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // Nest flushes buffered logs only in listen(): a process without the api role would buffer
  // every log line forever, printing nothing.
  app.flushLogs();
  app.enableShutdownHooks();
  configureHttp(app);
  return app;
}

/** Starts the given roles (default: ROLES, or all three) and exits non-zero with a clear message if it cannot. */
export async function start(roles?: Role[]): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig({ ...process.env, ...(roles ? { ROLES: roles.join(',') } : {}) });
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  const problems = await preflight(config);
  if (problems.length) {
    for (const problem of problems) console.error(problem);
    process.exit(1);
  }
  const app = await createApp(config);
  if (config.roles.includes('api')) {
    await app.listen(config.port);
    app.get(Logger).log(`Streamplane (${config.roles.join(', ')}) listening on http://localhost:${config.port} — docs at /docs`);
  } else {
    await app.init();
    app.get(Logger).log(`Streamplane (${config.roles.join(', ')}) running`);
  }
}
