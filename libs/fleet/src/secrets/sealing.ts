import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'sealed:v1:';

/**
 * AES-256-GCM: `sealed:v1:<iv>:<tag>:<ciphertext>` (base64). `context` is authenticated, not
 * stored: a value sealed for one workspace, instance and name opens nowhere else (copying it
 * into another event would not move the secret).
 */
export function seal(key: Buffer, plaintext: string | Buffer, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  return `${PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ciphertext.toString('base64')}`;
}

/** The plaintext bytes; throws when the key or the context is not the one it was sealed with. */
export function open(key: Buffer, sealed: string, context: string): Buffer {
  if (!isSealed(sealed)) throw new Error('not a sealed value');
  const [iv, tag, ciphertext] = sealed.slice(PREFIX.length).split(':').map((part) => Buffer.from(part, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX) && value.split(':').length === 5;
}

/** Names a master key without revealing it. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('streamplane master key id').update(key).digest('hex').slice(0, 16);
}
