import { HttpException, HttpStatus } from '@nestjs/common';
import { EventIdConflictError, WrongExpectedRevisionError } from '@streamplane/eventstore';
import { unavailableDependency } from './dependency-errors';
import { DomainError, FieldError } from '../domain/domain-errors';

/** RFC 9457 problem details, as every error leaves the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, errors?: FieldError[]): Problem {
  return { type: `/problems/${code}`, title: TITLES[status] ?? HttpStatus[status] ?? 'Error', status, detail, code, ...(errors?.length ? { errors } : {}) };
}

/** Errors Fastify raises before a route runs (body parsing, limits) carry a status and often an FST_ code. */
interface FastifyRequestError {
  statusCode: number;
  code?: string;
  message: string;
}

function isFastifyRequestError(error: unknown): error is FastifyRequestError {
  const statusCode = (error as FastifyRequestError | null)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && !(error instanceof HttpException);
}

function fromFastify(error: FastifyRequestError): Problem {
  if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return problem(400, 'invalid_path', 'the path is not a valid URL, or a part of it is longer than any id', [{ field: 'path', message: error.message }]);
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return problem(413, 'payload_too_large', 'the request body is larger than the server accepts');
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return problem(415, 'unsupported_media_type', 'send the request body as application/json');
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return problem(400, 'malformed_json', 'the request body is not valid JSON', [{ field: 'body', message: error.message }]);
  }
  return problem(error.statusCode, 'bad_request', error.message);
}

/** The one place where an error becomes an HTTP answer. Unknown errors are 500 and get logged. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) return problem(error.status, error.code, error.message, error.errors);
  if (error instanceof WrongExpectedRevisionError) return problem(409, 'conflict', 'the entity was changed by another request; read it again and retry');
  if (error instanceof EventIdConflictError) return problem(409, 'conflict', 'this request was already applied');
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return problem(status, status === 404 ? 'not_found' : `http_${status}`, message);
  }
  if (isFastifyRequestError(error)) return fromFastify(error);
  const dependency = unavailableDependency(error);
  if (dependency) {
    const what = dependency === 'network' ? 'a dependency of the service' : dependency === 'postgres' ? 'the database' : 'the queue store (Redis)';
    return problem(503, 'dependency_unavailable', `${what} is unavailable right now; retry shortly`);
  }
  return problem(500, 'internal_error', 'an unexpected error occurred; it has been logged');
}
