import { SetMetadata } from '@nestjs/common';
import { DomainError } from '../domain/domain-errors';

export const SHOWN_ONCE_FIELDS = 'streamplane:shown-once-fields';

/**
 * Marks a route whose answer carries a secret (a session or API token) in the named body fields.
 * Under an Idempotency-Key such an answer is stored without those fields, and a replay answers
 * 409 instead of the secret: a stored token would sit in clear in `idempotency_keys` and work
 * for as long as the token lives, readable by anyone who can read that table or its backups.
 */
export const ShownOnce = (...fields: string[]) => SetMetadata(SHOWN_ONCE_FIELDS, fields);

/** Stored with a withheld answer (never sent): which fields were left out. */
export const WITHHELD_HEADER = 'x-streamplane-withheld';

/** A replay of an answer whose secret was shown once: the first request did succeed. */
export class SecretNotReplayableError extends DomainError {
  readonly status = 409;
  readonly code = 'secret_not_replayable';
}

/** The body as it may be stored: the secret fields removed. */
export function withoutFields(body: unknown, fields: string[]): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  return Object.fromEntries(Object.entries(body).filter(([name]) => !fields.includes(name)));
}
