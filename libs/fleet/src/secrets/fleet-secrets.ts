import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, PG_POOL } from '@streamplane/core';
import { keyId, open, seal } from './sealing';

/**
 * Secret values of a workspace (env vars marked secret) are sealed under the workspace's data key;
 * data keys are sealed under the master key (SECRETS_MASTER_KEY). Neither key is ever in the log,
 * so the log, its exports and replays hold only ciphertext. Only the worker opens env values, to
 * start a media node; no HTTP route does. The webhooks context seals its signing secrets and
 * Authorization headers with the same keys (its reads open the headers, never the secrets).
 */
@Injectable()
export class FleetSecrets {
  private readonly logger = new Logger('secrets');
  private master?: Promise<Buffer>;
  private readonly dataKeys = new Map<string, Promise<Buffer>>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `context` binds the value to where it belongs (workspace, instance, name). */
  async seal(workspaceId: string, context: string, value: string): Promise<string> {
    return seal(await this.dataKey(workspaceId), value, context);
  }

  async open(workspaceId: string, context: string, sealed: string): Promise<string> {
    return open(await this.dataKey(workspaceId), sealed, context).toString('utf8');
  }

  private dataKey(workspaceId: string): Promise<Buffer> {
    let key = this.dataKeys.get(workspaceId);
    if (!key) {
      key = this.loadDataKey(workspaceId);
      key.catch(() => this.dataKeys.delete(workspaceId));
      this.dataKeys.set(workspaceId, key);
    }
    return key;
  }

  /** Created on first use; two processes creating it at once keep the first one written. */
  private async loadDataKey(workspaceId: string): Promise<Buffer> {
    const master = await this.masterKey();
    const context = `data key of workspace ${workspaceId}`;
    await this.pool.query(`INSERT INTO fleet_data_keys (workspace_id, master_key_id, wrapped_key) VALUES ($1, $2, $3) ON CONFLICT (workspace_id) DO NOTHING`, [
      workspaceId,
      keyId(master),
      seal(master, randomBytes(32), context),
    ]);
    const { rows } = await this.pool.query<{ master_key_id: string; wrapped_key: string }>(`SELECT master_key_id, wrapped_key FROM fleet_data_keys WHERE workspace_id = $1`, [workspaceId]);
    if (rows[0].master_key_id !== keyId(master)) {
      throw new Error(`the secrets of workspace ${workspaceId} are sealed under another master key (${rows[0].master_key_id}); is SECRETS_MASTER_KEY the one they were written with?`);
    }
    return open(master, rows[0].wrapped_key, context);
  }

  private masterKey(): Promise<Buffer> {
    this.master ??= this.loadMasterKey();
    this.master.catch(() => (this.master = undefined));
    return this.master;
  }

  private async loadMasterKey(): Promise<Buffer> {
    if (this.config.secretsMasterKey) return this.config.secretsMasterKey;
    // Without one, every role on every host must still agree: the database is what they share.
    await this.pool.query(`INSERT INTO fleet_master_key (key) VALUES ($1) ON CONFLICT (id) DO NOTHING`, [randomBytes(32).toString('base64')]);
    const { rows } = await this.pool.query<{ key: string }>(`SELECT key FROM fleet_master_key`);
    this.logger.warn('SECRETS_MASTER_KEY is unset: the master key of secret values is kept in the database (fleet_master_key), so a database dump can open them; the event log cannot. Set SECRETS_MASTER_KEY in production.');
    return Buffer.from(rows[0].key, 'base64');
  }
}
