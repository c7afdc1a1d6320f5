import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { Response } from 'express';
import { OUTAGE_RETRY_AFTER_SECONDS } from '../errors/dependency-errors';
import { IdempotencyInProgressError, TooManyRequestsError } from '../errors/domain-errors';
import { toProblem } from '../errors/problem';

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const problem = toProblem(error);
    if (problem.status === 503) this.logger.warn(`answered 503: ${error instanceof Error ? error.message : String(error)}`);
    else if (problem.status >= 500) this.logger.error(error instanceof Error ? error.stack : String(error));
    if (response.headersSent) return;
    if (error instanceof TooManyRequestsError || error instanceof IdempotencyInProgressError) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    if (problem.status === 503) response.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
