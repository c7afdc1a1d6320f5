import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { isoTime, PG_POOL } from '@streamplane/core';
import { HoldingBlock } from '../domain/deploy-block.decider';

export interface DeployBlockView extends HoldingBlock {
  created_by: { type: string; id: string };
  created_at: string;
  version: number;
}

const COLUMNS = `id, cluster_id, reason, created_by, ${isoTime('created_at')} AS created_at, version`;

/** The deploy freezes that hold in a workspace. */
@Injectable()
export class DeployBlockDirectory {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async list(workspaceId: string): Promise<DeployBlockView[]> {
    const { rows } = await this.pool.query<DeployBlockView>(`SELECT ${COLUMNS} FROM read.deploy_blocks WHERE workspace_id = $1 ORDER BY created_at, id`, [workspaceId]);
    return rows;
  }

  async get(workspaceId: string, blockId: string): Promise<DeployBlockView | undefined> {
    const { rows } = await this.pool.query<DeployBlockView>(`SELECT ${COLUMNS} FROM read.deploy_blocks WHERE workspace_id = $1 AND id = $2`, [workspaceId, blockId]);
    return rows[0];
  }

  /** The oldest freeze that holds a deploy to this cluster: the workspace's own, or the cluster's. */
  async holding(workspaceId: string, clusterId: string): Promise<HoldingBlock | undefined> {
    const { rows } = await this.pool.query<HoldingBlock>(
      'SELECT id, cluster_id, reason FROM read.deploy_blocks WHERE workspace_id = $1 AND (cluster_id IS NULL OR cluster_id = $2) ORDER BY created_at, id LIMIT 1',
      [workspaceId, clusterId],
    );
    return rows[0];
  }
}
