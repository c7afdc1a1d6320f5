import { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { FieldError, ValidationError } from '../domain/domain-errors';

/** Deeper than any of our DTOs goes; class-transformer recurses per level and overflows the stack at a few thousand. */
export const MAX_INPUT_DEPTH = 32;

// NUL, and a surrogate half without its partner: PostgreSQL refuses both in text and jsonb, and
// validator.js' email check throws a URIError on a lone surrogate. No valid value contains them.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function child(parent: string, key: string): string {
  if (/^\d+$/.test(key)) return `${parent}[${key}]`;
  const name = /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
  return parent ? `${parent}.${name}` : name;
}

/**
 * The first string, key or nesting level of a parsed body or query that can never be valid or
 * stored, as a field error naming where it is. Recursion stops at MAX_INPUT_DEPTH, so this walk
 * cannot overflow the stack the way class-transformer would.
 */
export function findUnstorableInput(value: unknown, field: string, depth = 0): FieldError | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? { field: field || 'body', message: 'contains a NUL character or an unpaired UTF-16 surrogate' } : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  // Named by its top-level field: the full path would be 32 `[0]`s long.
  if (depth >= MAX_INPUT_DEPTH) return { field: /^[^.[]*/.exec(field)![0] || 'body', message: `is nested more than ${MAX_INPUT_DEPTH} levels deep` };
  for (const [key, item] of Object.entries(value)) {
    const path = child(field, key);
    if (UNSTORABLE.test(key)) return { field: path, message: 'the field name contains a NUL character or an unpaired UTF-16 surrogate' };
    const found = findUnstorableInput(item, path, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A preValidation hook, after the body is parsed: refuses such input with a 400 before any pipe or handler sees it. */
export function rejectUnstorableInput(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const { body } = request;
  // Every body we take is an object; a bare number, string or array has no fields to name.
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    return done(new ValidationError('the request body must be a JSON object', [{ field: 'body', message: 'must be a JSON object' }]));
  }
  const found = findUnstorableInput(request.params, '') ?? findUnstorableInput(request.query, '') ?? findUnstorableInput(body, '');
  done(found ? new ValidationError('the request has input that can never be valid', [found]) : undefined);
}
