import { createHash } from 'node:crypto';

/**
 * An email as the product compares it: without surrounding spaces, in lower case. Every lookup,
 * reservation and hash of an email goes through it, so two spellings of one address never count
 * as two accounts (or as two sources of password guesses).
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The email's SHA-256 (hex) once normalised: how reservations and invitations find it without holding it. */
export function emailHash(email: string): string {
  return createHash('sha256').update(normalizeEmail(email)).digest('hex');
}
