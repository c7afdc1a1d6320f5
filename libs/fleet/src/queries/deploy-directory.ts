import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { isoTime, PG_POOL } from '@streamplane/core';

export const DEPLOY_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export interface DeployFilters {
  clusterId?: string;
  instanceId?: string;
  status?: string;
  imageVersion?: string;
}

const COLUMNS = `id, instance_id, cluster_id, image_version, from_version, kind, status, error, cancel_reason, requested_by,
  ${isoTime('created_at')} AS created_at, ${isoTime('started_at')} AS started_at, ${isoTime('finished_at')} AS finished_at,
  (extract(epoch FROM finished_at - started_at) * 1000)::bigint AS duration_ms, ${isoTime('updated_at')} AS updated_at`;

type DeployRow = Record<string, unknown> & { duration_ms: string | null };
const withDuration = ({ duration_ms, ...row }: DeployRow) => ({ ...row, duration_ms: duration_ms === null ? null : Number(duration_ms) });

/** The workspace's deploys of every instance (Tsuru's deploy list), each with who asked and how long it ran. */
@Injectable()
export class DeployDirectory {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Newest first; every filter given must hold. */
  async list(workspaceId: string, filters: DeployFilters, pageSize: number, offset: number) {
    const { rows } = await this.pool.query<DeployRow & { total: string }>(
      `SELECT ${COLUMNS}, count(*) OVER () AS total FROM read.instance_deploys
        WHERE workspace_id = $1 AND ($2::uuid IS NULL OR cluster_id = $2) AND ($3::uuid IS NULL OR instance_id = $3)
          AND ($4::text IS NULL OR status = $4) AND ($5::text IS NULL OR image_version = $5)
        ORDER BY created_at DESC, id LIMIT $6 OFFSET $7`,
      [workspaceId, filters.clusterId ?? null, filters.instanceId ?? null, filters.status ?? null, filters.imageVersion ?? null, pageSize, offset],
    );
    return { items: rows.map(({ total: _total, ...row }) => withDuration(row)), total: rows[0] ? Number(rows[0].total) : 0 };
  }

  /** One deploy of the workspace with its log, oldest line first; undefined for another workspace's. */
  async get(workspaceId: string, deployId: string) {
    const { rows } = await this.pool.query<DeployRow>(`SELECT ${COLUMNS} FROM read.instance_deploys WHERE workspace_id = $1 AND id = $2`, [workspaceId, deployId]);
    if (!rows[0]) return undefined;
    const log = await this.pool.query(`SELECT ${isoTime('time')} AS time, line FROM read.instance_deploy_log WHERE deploy_id = $1 ORDER BY position`, [deployId]);
    return { ...withDuration(rows[0]), log: log.rows };
  }
}
