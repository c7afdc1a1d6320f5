import { ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { FieldError, ValidationError } from '../domain/domain-errors';

/** Flattens nested class-validator errors into `a.b[2].c` field paths, one entry per message. */
export function fieldErrors(errors: ClassValidatorError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    // An empty key ("": 1) is still a field the client sent: name it `""`, not an empty string.
    const property = error.property === '' ? '""' : error.property;
    const field = /^\d+$/.test(property) ? `${parent}[${property}]` : parent ? `${parent}.${property}` : property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property .* should not exist$/s, 'is not a known field'),
    }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/**
 * Bodies and queries are whitelisted: an unknown field is a 400 that names it, never silently
 * dropped, and every bad field is listed, not just the first.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationError('the request has invalid fields', fieldErrors(errors)),
  });
}
