import { createHash } from 'node:crypto';
import type { JsonObject } from '@streamplane/core/domain';

/**
 * A cluster token is a credential: the log keeps only its SHA-256 (enough for an instance to check
 * a presented token), and no answer shows it after the request that set it.
 */
export const clusterTokenHash = (token: string | null): string | null => (token === null ? null : createHash('sha256').update(token, 'utf8').digest('hex'));

/** Version 1 cluster events held the token in clear: folds and reads see only its hash. */
export function upcastClusterToken(data: JsonObject): JsonObject {
  if (!('token' in data)) return data;
  const { token, ...rest } = data;
  return { ...rest, token_sha256: clusterTokenHash(typeof token === 'string' ? token : null) };
}
