import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { isoTime, PG_POOL, Queryable } from '@streamplane/core';

export interface ClusterView {
  id: string;
  name: string;
  image_version: string;
  /** Whether a token is set; the token itself is never shown (the log keeps its hash). */
  token_set: boolean;
  status: string;
  /** Versions no rollback may go back to, each with its reason. */
  no_rollback: Record<string, string>;
  created_at: string;
  updated_at: string;
  version: number;
}

const COLUMNS = `id, name, image_version, token_set, status, no_rollback, ${isoTime('created_at')} AS created_at, ${isoTime('updated_at')} AS updated_at, version`;

/** Reads of the clusters read model, scoped by workspace. */
@Injectable()
export class ClusterDirectory {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async list(workspaceId: string, pageSize: number, offset: number): Promise<{ items: ClusterView[]; total: number }> {
    const { rows } = await this.pool.query<ClusterView & { total: string }>(
      `SELECT ${COLUMNS}, count(*) OVER () AS total FROM read.clusters WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY created_at, id LIMIT $2 OFFSET $3`,
      [workspaceId, pageSize, offset],
    );
    const total = rows[0] ? Number(rows[0].total) : await this.count(workspaceId);
    return { items: rows.map(({ total: _total, ...view }) => view), total };
  }

  /** `db`: another connection's view of the rows (a time-travel read replays them in its own transaction). */
  async get(workspaceId: string, clusterId: string, db: Queryable = this.pool): Promise<ClusterView | undefined> {
    const { rows } = await db.query<ClusterView>(`SELECT ${COLUMNS} FROM read.clusters WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL`, [workspaceId, clusterId]);
    return rows[0];
  }

  private async count(workspaceId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM read.clusters WHERE workspace_id = $1 AND deleted_at IS NULL', [workspaceId]);
    return Number(rows[0].n);
  }
}
