import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { isoTime, PG_POOL } from '@streamplane/core';

export interface AdminUserView {
  id: string;
  email: string;
  verified: boolean;
  is_platform_admin: boolean;
  created_at: string;
  /** Live workspaces the user is a member of (owned ones included). */
  workspaces: number;
}

export interface AdminWorkspaceView {
  id: string;
  name: string;
  owner_id: string;
  instance_limit: number;
  members: number;
  created_at: string;
}

export interface Paged<T> {
  items: T[];
  total: number;
}

/**
 * One page of `matched` (a query over `read.*`), oldest first, with the count of every match: one
 * round trip, and a page past the end still knows the total.
 */
export async function pageOf<T>(pool: Pool, matched: string, params: unknown[], pageSize: number, offset: number): Promise<Paged<T>> {
  const n = params.length;
  const { rows } = await pool.query<{ total: number; items: T[] }>(
    `WITH matched AS (${matched})
     SELECT (SELECT count(*) FROM matched)::int AS total,
            coalesce((SELECT json_agg(p ORDER BY p.created_at, p.id) FROM (SELECT * FROM matched ORDER BY created_at, id LIMIT $${n + 1} OFFSET $${n + 2}) p), '[]') AS items`,
    [...params, pageSize, offset],
  );
  return rows[0];
}

/** The platform admins' directories of every account and workspace (CEEMS' admin users and projects). */
@Injectable()
export class AdminDirectory {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** `email`: a part of the address, in any letter case. */
  users(filters: { email?: string; isPlatformAdmin?: boolean }, pageSize: number, offset: number): Promise<Paged<AdminUserView>> {
    return pageOf<AdminUserView>(
      this.pool,
      `SELECT u.id, u.email, u.verified, u.is_platform_admin, ${isoTime('u.created_at')} AS created_at,
              (SELECT count(*)::int FROM read.workspace_members m JOIN read.workspaces w ON w.id = m.workspace_id AND w.deleted_at IS NULL WHERE m.user_id = u.id) AS workspaces
         FROM read.users u
        WHERE u.deleted_at IS NULL AND ($1::text IS NULL OR strpos(u.email_lower, lower($1)) > 0) AND ($2::boolean IS NULL OR u.is_platform_admin = $2)`,
      [filters.email ?? null, filters.isPlatformAdmin ?? null],
      pageSize,
      offset,
    );
  }

  /** `name`: a part of the name, in any letter case. */
  workspaces(filters: { ownerId?: string; name?: string }, pageSize: number, offset: number): Promise<Paged<AdminWorkspaceView>> {
    return pageOf<AdminWorkspaceView>(
      this.pool,
      `SELECT w.id, w.name, w.owner_id, w.instance_limit, ${isoTime('w.created_at')} AS created_at,
              (SELECT count(*)::int FROM read.workspace_members m WHERE m.workspace_id = w.id) AS members
         FROM read.workspaces w
        WHERE w.deleted_at IS NULL AND ($1::uuid IS NULL OR w.owner_id = $1) AND ($2::text IS NULL OR strpos(lower(w.name), lower($2)) > 0)`,
      [filters.ownerId ?? null, filters.name ?? null],
      pageSize,
      offset,
    );
  }
}
