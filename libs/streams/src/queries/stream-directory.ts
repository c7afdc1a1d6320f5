import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { isoTime, KeysetPage, listByKey, CursorPageQuery, PG_POOL, Queryable, Where } from '@streamplane/core';

export interface StreamFilters {
  stream_ids?: string[];
  names?: string[];
  reference?: string;
  statuses?: string[];
  create_time__gte?: string;
  create_time__lt?: string;
  group_name?: string;
}

export interface LogFilters {
  stream_ids?: string[];
  statuses?: string[];
  log_time__gte?: string;
  log_time__lt?: string;
}

export interface StreamView {
  stream_id: string;
  account_id: string;
  name: string;
  description: string;
  data: Record<string, unknown>;
  event_handler: Record<string, unknown>;
  policies: Record<string, unknown>;
  autorestart: Record<string, unknown>;
  location: Record<string, unknown>;
  status: string;
  version: number;
  create_time: string;
  last_error: string | null;
  video_info: Record<string, unknown> | null;
  groups: string[];
}

/** Luna clients read every part of a location, so one never given reads as all nulls. */
const NO_LOCATION = `'{"city":null,"area":null,"district":null,"street":null,"house_number":null,"geo_position":null}'::jsonb`;

const STREAM_COLUMNS = `s.id AS stream_id, s.workspace_id AS account_id, s.name, s.description, s.data, s.event_handler, s.policies,
  s.autorestart || jsonb_build_object('current_attempt', s.current_attempt, 'last_attempt_time', ${isoTime('s.last_attempt_time')}) AS autorestart,
  coalesce(s.location, ${NO_LOCATION}) AS location,
  s.status, s.version, ${isoTime('s.create_time')} AS create_time, s.last_error, s.video_info,
  coalesce((SELECT array_agg(g.name ORDER BY g.name) FROM read.stream_group_members m JOIN read.stream_groups g ON g.id = m.group_id WHERE m.stream_id = s.id), '{}') AS groups`;

/** Reads of the streams read models. Every query is scoped by the workspace it is given. */
@Injectable()
export class StreamDirectory {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  private streamWhere(workspaceId: string, f: StreamFilters): Where {
    return new Where()
      .add((p) => `s.workspace_id = ${p(workspaceId)} AND s.deleted_at IS NULL`)
      .when(f.stream_ids, (p) => `s.id = ANY(${p}::uuid[])`)
      .when(f.names, (p) => `s.name = ANY(${p}::text[])`)
      .when(f.reference, (p) => `s.reference = ${p}`)
      .when(f.statuses, (p) => `s.status = ANY(${p}::text[])`)
      .when(f.create_time__gte, (p) => `s.create_time >= ${p}`)
      .when(f.create_time__lt, (p) => `s.create_time < ${p}`)
      .when(
        f.group_name,
        (p) => `EXISTS (SELECT 1 FROM read.stream_group_members m JOIN read.stream_groups g ON g.id = m.group_id WHERE m.stream_id = s.id AND g.name = ${p} AND g.deleted_at IS NULL)`,
      );
  }

  /** A page of the workspace's streams matching every filter, oldest first (by key: see listByKey). */
  async list(workspaceId: string, filters: StreamFilters, paging: CursorPageQuery): Promise<KeysetPage<StreamView>> {
    const where = this.streamWhere(workspaceId, filters);
    return listByKey<StreamView>(
      this.pool,
      { columns: STREAM_COLUMNS, from: 'read.streams s', where: String(where), params: where.params, key: [['s.create_time', 'timestamptz'], ['s.id', 'uuid']] },
      paging,
      filters,
    );
  }

  async count(workspaceId: string, filters: StreamFilters): Promise<number> {
    const where = this.streamWhere(workspaceId, filters);
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM read.streams s WHERE ${where}`, where.params);
    return Number(rows[0].n);
  }

  /** `db`: another connection's view of the rows (a time-travel read replays them in its own transaction). */
  async get(workspaceId: string, streamId: string, db: Queryable = this.pool): Promise<StreamView | undefined> {
    return (await this.byIds(workspaceId, [streamId], db))[0];
  }

  /** The streams with these ids, in the order the ids were given. */
  async byIds(workspaceId: string, ids: string[], db: Queryable = this.pool): Promise<StreamView[]> {
    if (!ids.length) return [];
    const { rows } = await db.query<StreamView>(
      `SELECT ${STREAM_COLUMNS} FROM read.streams s WHERE s.workspace_id = $1 AND s.deleted_at IS NULL AND s.id = ANY($2::uuid[])`,
      [workspaceId, ids],
    );
    const byId = new Map(rows.map((row) => [row.stream_id, row]));
    return ids.map((id) => byId.get(id)).filter((row): row is StreamView => row !== undefined);
  }

  /** Live stream ids of the workspace matching any of the ids or names (bulk delete), at most `limit`. */
  async idsMatching(workspaceId: string, ids: string[], names: string[], limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM read.streams WHERE workspace_id = $1 AND deleted_at IS NULL AND (id = ANY($2::uuid[]) OR name = ANY($3::text[])) ORDER BY create_time, id LIMIT $4`,
      [workspaceId, ids, names, limit],
    );
    return rows.map((row) => row.id);
  }

  /** A page of the workspace's status changes matching every filter, oldest first (by key: see listByKey). */
  async logs(workspaceId: string, f: LogFilters, paging: CursorPageQuery): Promise<KeysetPage<Record<string, unknown>>> {
    const where = new Where()
      .add((p) => `l.workspace_id = ${p(workspaceId)}`)
      .when(f.stream_ids, (p) => `l.stream_id = ANY(${p}::uuid[])`)
      .when(f.statuses, (p) => `l.status = ANY(${p}::text[])`)
      .when(f.log_time__gte, (p) => `l.log_time >= ${p}`)
      .when(f.log_time__lt, (p) => `l.log_time < ${p}`);
    return listByKey(
      this.pool,
      {
        columns: `l.stream_id, l.status, l.error, l.video_info, ${isoTime('l.log_time')} AS log_time, l.version`,
        from: 'read.stream_logs l',
        where: String(where),
        params: where.params,
        key: [['l.log_time', 'timestamptz'], ['l.stream_id', 'uuid'], ['l.version', 'integer']],
      },
      paging,
      f,
    );
  }

  /**
   * Streams waiting on a queue (pending or restart) by the read model's account, workspace by
   * workspace, after `after` in (workspace, id) order: the queue rebuild's candidates (it asks the log).
   */
  async queued(after: { workspace_id: string; stream_id: string } | null, limit: number): Promise<Array<{ stream_id: string; workspace_id: string }>> {
    const { rows } = await this.pool.query(
      `SELECT id AS stream_id, workspace_id FROM read.streams
        WHERE status IN ('pending', 'restart') AND deleted_at IS NULL AND ($1::uuid IS NULL OR (workspace_id, id) > ($1::uuid, $2::uuid))
        ORDER BY workspace_id, id LIMIT $3`,
      [after?.workspace_id ?? null, after?.stream_id ?? null, limit],
    );
    return rows;
  }

  /** In-progress streams whose lease has run out by the read model's account (the decider re-checks). */
  async expiredLeases(limit: number): Promise<Array<{ stream_id: string; workspace_id: string }>> {
    const { rows } = await this.pool.query(
      `SELECT id AS stream_id, workspace_id FROM read.streams WHERE status = 'in_progress' AND deleted_at IS NULL AND lease_expires_at < now() ORDER BY lease_expires_at LIMIT $1`,
      [limit],
    );
    return rows;
  }
}
