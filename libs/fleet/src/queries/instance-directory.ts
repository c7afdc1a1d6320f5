import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { CursorPageQuery, isoTime, KeysetPage, listByKey, PG_POOL, Queryable, Where } from '@streamplane/core';
import { ClusterInstances } from '../domain/cluster-instances.port';

export interface InstanceFilters {
  cluster_id?: string;
  status?: string;
  include_archived?: boolean;
  name?: string;
  location?: string;
  machine_type?: string;
  /** Every one of these tags. */
  tag?: string[];
}

export interface InstanceView {
  id: string;
  name: string | null;
  description: string;
  tags: string[];
  status: string;
  cluster_id: string;
  machine_type: string;
  location: string;
  routing_key: string | null;
  endpoint: string | null;
  image_version: string;
  last_error: string | null;
  env_names: string[];
  host: string | null;
  host_lost: boolean;
  created_at: string;
  updated_at: string;
  version: number;
}

const COLUMNS = `id, name, description, tags, status, cluster_id, machine_type, location, routing_key, endpoint, image_version, last_error,
  ARRAY(SELECT jsonb_object_keys(env) ORDER BY 1) AS env_names, host, host_lost,
  ${isoTime('created_at')} AS created_at, ${isoTime('updated_at')} AS updated_at, version`;
/** Only the filters given become conditions, so each can use its own index. */
function whereOf(workspaceId: string, f: InstanceFilters): Where {
  return new Where()
    .add((p) => `workspace_id = ${p(workspaceId)}`)
    .when(f.include_archived ? undefined : 'archived', (p) => `status <> ${p}`)
    .when(f.cluster_id, (p) => `cluster_id = ${p}::uuid`)
    .when(f.status, (p) => `status = ${p}`)
    .when(f.name, (p) => `name = ${p}`)
    .when(f.location, (p) => `location = ${p}`)
    .when(f.machine_type, (p) => `machine_type = ${p}`)
    .when(f.tag, (p) => `tags @> ${p}::text[]`);
}

/** Reads of the instances read model (scoped by workspace), and the census other rules need. */
@Injectable()
export class InstanceDirectory implements ClusterInstances {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** A page of the workspace's instances matching the filters, oldest first (by key: see listByKey). */
  async list(workspaceId: string, filters: InstanceFilters, paging: CursorPageQuery): Promise<KeysetPage<InstanceView>> {
    const where = whereOf(workspaceId, filters);
    const list = { columns: COLUMNS, from: 'read.instances', where: String(where), params: where.params };
    return listByKey<InstanceView>(this.pool, { ...list, key: [['created_at', 'timestamptz'], ['id', 'uuid']] }, paging, filters);
  }

  async count(workspaceId: string, filters: InstanceFilters): Promise<number> {
    const where = whereOf(workspaceId, filters);
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM read.instances WHERE ${where}`, where.params);
    return Number(rows[0].n);
  }

  /** `db`: another connection's view of the rows (a time-travel read replays them in its own transaction). */
  async get(workspaceId: string, instanceId: string, db: Queryable = this.pool): Promise<InstanceView | undefined> {
    const { rows } = await db.query<InstanceView>(`SELECT ${COLUMNS} FROM read.instances WHERE workspace_id = $1 AND id = $2`, [workspaceId, instanceId]);
    return rows[0];
  }

  /** Instances of a cluster a new image can go to now (a rollout's targets); not those whose host is lost. */
  async deployable(clusterId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM read.instances WHERE cluster_id = $1 AND status IN ('running', 'stopped', 'failed') AND NOT host_lost ORDER BY created_at, id`,
      [clusterId],
    );
    return rows.map((row) => row.id);
  }

  /** Clear values as strings; secret ones as `{secret: true, value: null}` (the read model has no more). */
  async env(workspaceId: string, instanceId: string): Promise<Record<string, string | { secret: true; value: null }> | undefined> {
    const { rows } = await this.pool.query<{ env: Record<string, string | { secret: true; value: null }> }>(`SELECT env FROM read.instances WHERE workspace_id = $1 AND id = $2 AND status <> 'archived'`, [workspaceId, instanceId]);
    return rows[0]?.env;
  }

  /** The instance a deploy of the workspace belongs to; undefined for a deploy it does not have. */
  async instanceOfDeploy(workspaceId: string, deployId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ instance_id: string }>('SELECT instance_id FROM read.instance_deploys WHERE workspace_id = $1 AND id = $2', [workspaceId, deployId]);
    return rows[0]?.instance_id;
  }

  /** Deploys of an instance, newest first. */
  async deploys(workspaceId: string, instanceId: string, pageSize: number, offset: number): Promise<{ items: Array<Record<string, unknown>>; total: number }> {
    const { rows } = await this.pool.query(
      `SELECT id, image_version, from_version, kind, status, error, ${isoTime('created_at')} AS created_at, ${isoTime('updated_at')} AS updated_at, count(*) OVER () AS total
         FROM read.instance_deploys WHERE workspace_id = $1 AND instance_id = $2 ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
      [workspaceId, instanceId, pageSize, offset],
    );
    return { items: rows.map(({ total: _total, ...row }) => row), total: rows[0] ? Number(rows[0].total) : 0 };
  }

  /**
   * Running instances a host's health check looks at: those it runs, and those recorded before
   * hosts were (null host), which the check keeps to the ones it has a record of.
   */
  async runningOn(host: string, limit: number): Promise<Array<{ id: string; workspace_id: string; host: string | null; host_lost: boolean }>> {
    const { rows } = await this.pool.query(`SELECT id, workspace_id, host, host_lost FROM read.instances WHERE status = 'running' AND (host = $1 OR host IS NULL) ORDER BY updated_at LIMIT $2`, [host, limit]);
    return rows;
  }

  /** Running instances whose host has not beaten for `seconds` (by the database clock), not yet reported. */
  async onSilentHosts(seconds: number, limit: number): Promise<Array<{ id: string; workspace_id: string; host: string }>> {
    const { rows } = await this.pool.query(
      `SELECT i.id, i.workspace_id, i.host FROM read.instances i LEFT JOIN fleet_worker_hosts h ON h.host_id = i.host
        WHERE i.status = 'running' AND i.host IS NOT NULL AND NOT i.host_lost AND (h.seen_at IS NULL OR h.seen_at < now() - make_interval(secs => $1))
        ORDER BY i.updated_at LIMIT $2`,
      [seconds, limit],
    );
    return rows;
  }

  async active(clusterId: string): Promise<number> {
    return this.countWhere(`cluster_id = $1 AND status <> 'archived'`, clusterId);
  }

  async unsettled(clusterId: string): Promise<number> {
    return this.countWhere(`cluster_id = $1 AND status IN ('pending', 'provisioning', 'stopping', 'deleting')`, clusterId);
  }

  async activeInWorkspace(workspaceId: string): Promise<number> {
    return this.countWhere(`workspace_id = $1 AND status <> 'archived'`, workspaceId);
  }

  private async countWhere(where: string, id: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM read.instances WHERE ${where}`, [id]);
    return Number(rows[0].n);
  }
}
