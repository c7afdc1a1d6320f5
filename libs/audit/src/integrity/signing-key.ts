import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, PG_POOL } from '@streamplane/core';

export interface PublicSigningKey {
  algorithm: 'Ed25519';
  /** First 16 hex digits of the SHA-256 of the key's DER (SPKI) form. */
  key_id: string;
  /** SPKI in PEM. */
  public_key: string;
}

interface LoadedKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  published: PublicSigningKey;
}

/**
 * The Ed25519 key that signs audit digests: AUDIT_SIGNING_KEY, or else one generated at first use
 * and kept in the database, so every role on every host signs and verifies with the same key.
 */
@Injectable()
export class AuditSigningKey {
  private readonly logger = new Logger('audit-signing-key');
  private loaded?: Promise<LoadedKey>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async publicKey(): Promise<PublicSigningKey> {
    return (await this.key()).published;
  }

  async sign(statement: Buffer): Promise<{ keyId: string; signature: string }> {
    const key = await this.key();
    // Ed25519 hashes internally: node takes no digest name for it.
    return { keyId: key.published.key_id, signature: sign(null, statement, key.privateKey).toString('base64') };
  }

  async verify(statement: Buffer, signature: string): Promise<boolean> {
    return verify(null, statement, (await this.key()).publicKey, Buffer.from(signature, 'base64'));
  }

  private key(): Promise<LoadedKey> {
    this.loaded ??= this.load();
    this.loaded.catch(() => (this.loaded = undefined));
    return this.loaded;
  }

  private async load(): Promise<LoadedKey> {
    const privateKey = createPrivateKey(this.config.audit.signingKey ?? (await this.keptKey()));
    const publicKey = createPublicKey(privateKey);
    const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
    return { privateKey, publicKey, published: { algorithm: 'Ed25519', key_id: keyId, public_key: publicKey.export({ type: 'spki', format: 'pem' }).toString() } };
  }

  /** Two processes starting at once keep the first key written. */
  private async keptKey(): Promise<string> {
    const generated = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await this.pool.query('INSERT INTO audit_signing_key (private_key) VALUES ($1) ON CONFLICT (id) DO NOTHING', [generated]);
    const { rows } = await this.pool.query<{ private_key: string }>('SELECT private_key FROM audit_signing_key');
    this.logger.warn(
      'AUDIT_SIGNING_KEY is unset: the key that signs audit digests is kept in the database (audit_signing_key), so whoever can alter the events there can also re-sign them. Set AUDIT_SIGNING_KEY in production.',
    );
    return rows[0].private_key;
  }
}
