export interface FieldError {
  field: string;
  message: string;
}

/** Errors the domain raises on purpose; each maps to one HTTP status in one place. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'not_found';
}

/** The entity's state does not allow the action (the reference platforms answer 400). */
export class InvalidStateError extends DomainError {
  readonly status = 400;
  readonly code = 'invalid_state';
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly code = 'validation_failed';
}

/** A uniqueness clash or a stale pinned version. */
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly code = 'conflict';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden';
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly code = 'unauthorized';
}

/** The first request with this Idempotency-Key is still running (or died less than a few seconds ago). */
export class IdempotencyInProgressError extends DomainError {
  readonly status = 409;
  readonly code = 'request_in_progress';
  readonly retryAfterSeconds = 1;
}

export class IdempotencyMismatchError extends DomainError {
  readonly status = 422;
  readonly code = 'idempotency_key_reused';
}

export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly code = 'too_many_requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A request body the server will not read: compressed (a decompression bomb waiting to happen) or of another type. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
