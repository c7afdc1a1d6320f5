import { LoggerService } from '@nestjs/common';
import pino, { Level, Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { currentContext } from '../context/request-context';

/**
 * The process's one pino logger (JSON lines on stdout): Nest's logs and Fastify's go through it.
 * Written asynchronously: a synchronous write per line cost a third of a hello's throughput
 * (8.7k against 13.9k req/s). While one write is in flight the next lines gather and go out
 * together, so a quiet process still writes each line at once; pino flushes what is left when the
 * process exits.
 */
export function createLogger(config: Pick<AppConfig, 'logLevel'>): Logger {
  return pino({ level: config.logLevel }, pino.destination({ dest: 1, sync: false }));
}

const STACK = /\n\s*at /;

/**
 * Nest's logs as pino lines, shaped as nestjs-pino shaped them: `{level, context, msg}`, an Error
 * as `err`; a line written while a request is handled names it (`reqId`).
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest passes the context last: `log(message, context)`, `error(message, stack, context)`. */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const request = currentContext()?.requestId;
    if (request !== undefined) fields.reqId = request;
    const rest = params.length ? params.slice(0, -1) : params;
    if (params.length) fields.context = params[params.length - 1];
    if (message instanceof Error) {
      fields.err = message;
      this.logger[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level](Object.assign(fields, message));
    } else if (level === 'error' && rest.length === 1 && typeof rest[0] === 'string' && STACK.test(rest[0])) {
      // Nest's exception handlers log (message, stack, context).
      const error = new Error(String(message));
      error.stack = rest[0];
      fields.err = error;
      this.logger.error(fields, String(message));
    } else {
      this.logger[level](fields, String(message), ...rest);
    }
  }
}
