import { FastifyReply, FastifyRequest, LogController } from 'fastify';
import { Logger } from 'pino';
import { redactUrl } from '@streamplane/core';

/** Probes and scrapes come every few seconds and say nothing an operator needs. */
const UNLOGGED = new Set(['/metrics', '/v1/health']);

/**
 * Fastify's request logging, as one line per answered request at `info` (the request's child of
 * the process's pino logger, so it carries `reqId`); nothing is built below `info`. The URL is
 * logged with the values of secret query parameters (a password, an access_token) replaced.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ disableRequestLogging: (request) => UNLOGGED.has(request.url) });
  }

  override incomingRequest(): void {}

  /** The completed line says it already (status 404). */
  override routeNotFound(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const level = error ? 'error' : 'info';
    const log = request.log as Logger;
    if (!log.isLevelEnabled(level) || this.isLogDisabled(request)) return;
    const url = request.url.includes('?') ? redactUrl(request.url) : request.url;
    log[level]({ req: { method: request.method, url }, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime, err: error ?? undefined }, error ? 'request errored' : 'request completed');
  }
}
