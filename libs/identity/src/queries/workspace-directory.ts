import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { isoTime, PG_POOL } from '@streamplane/core';
import { KeyStore } from '../stores/key-store';
import { Role } from '../domain/roles';

export interface WorkspaceView {
  id: string;
  name: string;
  description: string;
  owner_id: string;
  role: Role;
  instance_limit: number;
  created_at: string;
  version: number;
}

const WORKSPACE_COLUMNS = `w.id, w.name, w.description, w.owner_id, m.role, w.instance_limit, ${isoTime('w.created_at')} AS created_at, w.version`;

/** Reads of the workspace read models; every one is scoped by the workspace id it is given. */
@Injectable()
export class WorkspaceDirectory {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly keys: KeyStore,
  ) {}

  async exists(workspaceId: string): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM read.workspaces WHERE id = $1 AND deleted_at IS NULL', [workspaceId]);
    return rows.length > 0;
  }

  async roleOf(workspaceId: string, userId: string): Promise<Role | undefined> {
    const { rows } = await this.pool.query<{ role: Role }>(
      `SELECT m.role FROM read.workspace_members m JOIN read.workspaces w ON w.id = m.workspace_id
        WHERE m.workspace_id = $1 AND m.user_id = $2 AND w.deleted_at IS NULL`,
      [workspaceId, userId],
    );
    return rows[0]?.role;
  }

  async get(workspaceId: string, userId: string): Promise<WorkspaceView | undefined> {
    const { rows } = await this.pool.query<WorkspaceView>(
      `SELECT ${WORKSPACE_COLUMNS} FROM read.workspaces w JOIN read.workspace_members m ON m.workspace_id = w.id AND m.user_id = $2
        WHERE w.id = $1 AND w.deleted_at IS NULL`,
      [workspaceId, userId],
    );
    return rows[0];
  }

  /** The user's workspaces; `only` narrows them to the one an API token is bound to. */
  async listFor(userId: string, page: number, pageSize: number, only?: string): Promise<{ items: WorkspaceView[]; total: number }> {
    const { rows } = await this.pool.query<WorkspaceView & { total: string }>(
      `SELECT ${WORKSPACE_COLUMNS}, count(*) OVER () AS total FROM read.workspaces w JOIN read.workspace_members m ON m.workspace_id = w.id
        WHERE m.user_id = $1 AND w.deleted_at IS NULL AND ($4::uuid IS NULL OR w.id = $4) ORDER BY w.created_at, w.id LIMIT $2 OFFSET $3`,
      [userId, pageSize, (page - 1) * pageSize, only ?? null],
    );
    const total = rows[0] ? Number(rows[0].total) : await this.count(userId, only);
    return { items: rows.map(({ total: _total, ...view }) => view), total };
  }

  /** The live workspaces the user owns, oldest first. */
  async ownedBy(userId: string): Promise<Array<{ id: string; name: string }>> {
    const { rows } = await this.pool.query<{ id: string; name: string }>(
      'SELECT id, name FROM read.workspaces WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY created_at, id',
      [userId],
    );
    return rows;
  }

  async members(workspaceId: string) {
    const { rows } = await this.pool.query<{ user_id: string; email: string | null; role: Role; joined_at: string }>(
      `SELECT m.user_id, u.email, m.role, ${isoTime('m.joined_at')} AS joined_at FROM read.workspace_members m
         LEFT JOIN read.users u ON u.id = m.user_id WHERE m.workspace_id = $1 ORDER BY m.joined_at, m.user_id`,
      [workspaceId],
    );
    return rows;
  }

  /** Pending invitations, with each email opened by the invitation's own key. */
  async invitations(workspaceId: string): Promise<Array<{ id: string; email: string | null; role: string; created_at: string }>> {
    const { rows } = await this.pool.query<{ id: string; sealed_email: string; role: string; created_at: string }>(
      `SELECT id, sealed_email, role, ${isoTime('created_at')} AS created_at FROM read.workspace_invitations WHERE workspace_id = $1 ORDER BY created_at, id`,
      [workspaceId],
    );
    return Promise.all(rows.map(async ({ sealed_email, ...row }) => ({ ...row, email: await this.keys.open(this.pool, row.id, sealed_email) })));
  }

  /** The pending invitations of one email, for its account to see and accept. */
  async invitationsOf(emailHash: string): Promise<Array<{ id: string; workspace_id: string; workspace_name: string | null; role: string; created_at: string }>> {
    const { rows } = await this.pool.query(
      `SELECT i.id, i.workspace_id, w.name AS workspace_name, i.role, ${isoTime('i.created_at')} AS created_at
         FROM read.workspace_invitations i LEFT JOIN read.workspaces w ON w.id = i.workspace_id
        WHERE i.email_hash = $1 ORDER BY i.created_at, i.id`,
      [emailHash],
    );
    return rows;
  }

  async invitationsFor(emailHash: string): Promise<Array<{ id: string; workspace_id: string }>> {
    const { rows } = await this.pool.query('SELECT id, workspace_id FROM read.workspace_invitations WHERE email_hash = $1', [emailHash]);
    return rows;
  }

  async limitRequests(workspaceId?: string) {
    const { rows } = await this.pool.query(
      `SELECT id, workspace_id, desired_limit, reason, status, ${isoTime('created_at')} AS created_at, ${isoTime('decided_at')} AS decided_at
         FROM read.limit_requests WHERE $1::uuid IS NULL OR workspace_id = $1 ORDER BY created_at, id`,
      [workspaceId ?? null],
    );
    return rows;
  }

  /** The workspace's instance limit; undefined for a workspace that does not exist. */
  async instanceLimit(workspaceId: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ instance_limit: number }>('SELECT instance_limit FROM read.workspaces WHERE id = $1 AND deleted_at IS NULL', [workspaceId]);
    return rows[0]?.instance_limit;
  }

  async workspaceOfLimitRequest(requestId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ workspace_id: string }>('SELECT workspace_id FROM read.limit_requests WHERE id = $1', [requestId]);
    return rows[0]?.workspace_id;
  }

  private async count(userId: string, only?: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM read.workspace_members m JOIN read.workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = $1 AND w.deleted_at IS NULL AND ($2::uuid IS NULL OR w.id = $2)`,
      [userId, only ?? null],
    );
    return Number(rows[0].n);
  }
}
