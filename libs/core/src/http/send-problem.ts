import { Logger } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { OUTAGE_RETRY_AFTER_SECONDS } from '../errors/dependency-errors';
import { IdempotencyInProgressError, TooManyRequestsError } from '../domain/domain-errors';
import { toProblem } from '../errors/problem';

const logger = new Logger('http');

/** The one way an error leaves the API: problem+json, Retry-After where waiting helps, 5xx logged. */
export function sendProblem(reply: FastifyReply, error: unknown): void {
  const problem = toProblem(error);
  if (problem.status === 503) logger.warn(`answered 503: ${error instanceof Error ? error.message : String(error)}`);
  else if (problem.status >= 500) logger.error(error instanceof Error ? error.stack : String(error));
  if (reply.sent) return;
  if (error instanceof TooManyRequestsError || error instanceof IdempotencyInProgressError) reply.header('Retry-After', String(error.retryAfterSeconds));
  if (problem.status === 503) reply.header('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
  void reply.status(problem.status).header('Content-Type', 'application/problem+json').send(JSON.stringify(problem));
}
