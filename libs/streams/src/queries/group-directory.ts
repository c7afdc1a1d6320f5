import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { CursorPageQuery, isoTime, KeysetPage, listByKey, PG_POOL, Queryable } from '@streamplane/core';

export interface GroupFilters {
  group_ids?: string[];
  group_names?: string[];
}

export interface GroupView {
  group_id: string;
  group_name: string;
  description: string;
  create_time: string;
  stream_count: number;
  version: number;
}

/** Takes the parameters of `params`: workspace, ids (or null), names (or null). */
const GROUP_WHERE = `g.workspace_id = $1 AND g.deleted_at IS NULL AND ($2::uuid[] IS NULL OR g.id = ANY($2)) AND ($3::text[] IS NULL OR g.name = ANY($3))`;

const GROUP_COLUMNS = `g.id AS group_id, g.name AS group_name, g.description, ${isoTime('g.create_time')} AS create_time, g.version,
  (SELECT count(*)::int FROM read.stream_group_members m WHERE m.group_id = g.id) AS stream_count`;

/** Reads of stream groups, scoped by workspace. */
@Injectable()
export class GroupDirectory {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  private params(workspaceId: string, filters: GroupFilters): unknown[] {
    return [workspaceId, filters.group_ids?.length ? filters.group_ids : null, filters.group_names?.length ? filters.group_names : null];
  }

  /** A page of the workspace's groups matching the filters, oldest first (by key: see listByKey). */
  async list(workspaceId: string, filters: GroupFilters, paging: CursorPageQuery): Promise<KeysetPage<GroupView>> {
    const list = { columns: GROUP_COLUMNS, from: 'read.stream_groups g', where: GROUP_WHERE, params: this.params(workspaceId, filters) };
    return listByKey<GroupView>(this.pool, { ...list, key: [['g.create_time', 'timestamptz'], ['g.id', 'uuid']] }, paging, filters);
  }

  async count(workspaceId: string, filters: GroupFilters): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM read.stream_groups g WHERE ${GROUP_WHERE}`, this.params(workspaceId, filters));
    return Number(rows[0].n);
  }

  /** `db`: another connection's view of the rows (a time-travel read replays them in its own transaction). */
  async get(workspaceId: string, groupId: string, db: Queryable = this.pool): Promise<GroupView | undefined> {
    const { rows } = await db.query<GroupView>(`SELECT ${GROUP_COLUMNS} FROM read.stream_groups g WHERE ${GROUP_WHERE}`, this.params(workspaceId, { group_ids: [groupId] }));
    return rows[0];
  }

  async idByName(workspaceId: string, name: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM read.stream_groups WHERE workspace_id = $1 AND name = $2 AND deleted_at IS NULL', [workspaceId, name]);
    return rows[0]?.id;
  }

  /** Which of these streams are in the group now. */
  async membersAmong(groupId: string, streamIds: string[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ stream_id: string }>('SELECT stream_id FROM read.stream_group_members WHERE group_id = $1 AND stream_id = ANY($2::uuid[])', [
      groupId,
      streamIds,
    ]);
    return rows.map((row) => row.stream_id);
  }

  /** Which of these streams are in any of the named groups (a take's group filter). */
  async streamsInGroups(workspaceId: string, streamIds: string[], groupNames: string[]): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ stream_id: string }>(
      `SELECT DISTINCT m.stream_id FROM read.stream_group_members m JOIN read.stream_groups g ON g.id = m.group_id
        WHERE g.workspace_id = $1 AND g.deleted_at IS NULL AND m.stream_id = ANY($2::uuid[]) AND g.name = ANY($3::text[])`,
      [workspaceId, streamIds, groupNames],
    );
    return new Set(rows.map((row) => row.stream_id));
  }
}
