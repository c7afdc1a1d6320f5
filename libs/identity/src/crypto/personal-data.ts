import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

/** AES-256-GCM with the user's own key: `enc:v1:<iv>:<tag>:<ciphertext>`, base64 parts. */
export function encryptWith(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ciphertext.toString('base64')}`;
}

/** The plaintext, or null when the key is gone (the account was deleted) or the value is not ours. */
export function decryptWith(key: Buffer | undefined, payload: string): string | null {
  if (!key || !payload.startsWith(PREFIX)) return null;
  const [iv, tag, ciphertext] = payload.slice(PREFIX.length).split(':').map((part) => Buffer.from(part, 'base64'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export function newKey(): Buffer {
  return randomBytes(32);
}
