import { DynamicModule, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, ConfigError, createLogger, loadConfig, PinoNestLogger, Role } from '@streamplane/core';
import { configureHttp } from '../../api/src/configure-http';
import { createHttpAdapter } from '../../api/src/http-adapter';
import { preflight } from './preflight';
import { StreamplaneModule } from './streamplane.module';

/** Builds the application for a configuration: used by every entry point and by the e2e tests. */
export async function createApp(config: AppConfig, extraModules: Array<Type | DynamicModule> = []): Promise<NestFastifyApplication> {
  // One pino logger for the process: Nest's logs, and Fastify's (one line per request).
  const logger = createLogger(config);
  const app = await NestFactory.create<NestFastifyApplication>(StreamplaneModule.forRoot(config, extraModules), createHttpAdapter(config, logger), { bufferLogs: true });
  app.useLogger(new PinoNestLogger(logger));
  // Nest flushes buffered logs only in listen(): a process without the api role would buffer
  // every log line forever, printing nothing.
  app.flushLogs();
  app.enableShutdownHooks();
  await configureHttp(app);
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
    // Every interface, as a server in a container must (Fastify alone would take loopback only).
    await app.listen(config.port, '0.0.0.0').catch((error: unknown) => exitIfPortTaken(error, config.port));
    Logger.log(`Streamplane (${config.roles.join(', ')}) listening on http://localhost:${config.port} — docs at /docs`);
  } else {
    await app.init();
    Logger.log(`Streamplane (${config.roles.join(', ')}) running`);
  }
}

/** A port in use is a setting to change, not a stack trace to read. */
function exitIfPortTaken(error: unknown, port: number): never {
  if ((error as { code?: string } | null)?.code !== 'EADDRINUSE') throw error;
  console.error(`Port ${port} is already in use by another program: stop it, or start Streamplane on another port (PORT=${port + 1} npm start).`);
  process.exit(1);
}
