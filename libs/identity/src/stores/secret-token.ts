import { createHash, randomBytes } from 'node:crypto';

/** An opaque token (`sp_<kind>_<random>`; the prefix lets secret scanners spot a leak) and its stored hash. */
export function newSecretToken(kind: string): { token: string; hash: Buffer } {
  const token = `sp_${kind}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
