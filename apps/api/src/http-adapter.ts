import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { AppConfig, sendProblem } from '@streamplane/core';
import { answerClientError } from './client-error';
import { RequestLogController } from './request-log';

const VALID_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** `100kb`, `1mb` (checked at start by the config) in bytes. */
export function byteSize(size: string): number {
  const [, amount, unit] = /^(\d+)(b|kb|mb)$/i.exec(size)!;
  return Number(amount) * UNITS[unit.toLowerCase()];
}

/**
 * Fastify, set up as the contract needs: the client's X-Request-Id kept when it is sane (else a
 * fresh one), the body limit, the proxy setting, malformed HTTP answered with problem+json; it
 * logs through the process's pino logger, one line per request.
 */
export function createHttpAdapter(config: AppConfig, logger: Logger): FastifyAdapter {
  return new ProblemAnsweringAdapter({
    loggerInstance: logger,
    logController: new RequestLogController(),
    bodyLimit: byteSize(config.bodyLimit),
    // Off by default: X-Forwarded-For is the client's to write, so trusting it without a proxy
    // would let anyone choose their own rate-limit bucket.
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && VALID_REQUEST_ID.test(given) ? given : randomUUID();
    },
    clientErrorHandler: answerClientError,
    // A path the router cannot decode, or with a segment over maxParamLength, never reaches a hook.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      reply.header('X-Request-Id', request.id);
      sendProblem(reply, error);
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
  });
}

/**
 * Errors raised before a route runs (body parsing, limits, our hooks) reach Fastify's error
 * handler. Nest's own would turn a JSON syntax error into a generic 400; ours answers them like
 * every other error, naming the body as the bad field.
 */
class ProblemAnsweringAdapter extends FastifyAdapter {
  override setErrorHandler(): ReturnType<FastifyAdapter['setErrorHandler']> {
    return this.getInstance().setErrorHandler((error, _request, reply) => sendProblem(reply, error));
  }
}
