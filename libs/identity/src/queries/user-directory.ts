import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { isoTime, PG_POOL } from '@streamplane/core';
import { normalizeEmail } from '../domain/email';

export interface UserView {
  id: string;
  email: string;
  verified: boolean;
  created_at: string;
  is_platform_admin: boolean;
}

const COLUMNS = `id, email, verified, ${isoTime('created_at')} AS created_at, is_platform_admin`;

/** Reads of the `read.users` model (live accounts only). */
@Injectable()
export class UserDirectory {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The account of an email, however it is spelt (spaces around it, letter case). */
  async byEmail(email: string): Promise<UserView | undefined> {
    const { rows } = await this.pool.query<UserView>(`SELECT ${COLUMNS} FROM read.users WHERE email_lower = lower($1) AND deleted_at IS NULL`, [normalizeEmail(email)]);
    return rows[0];
  }

  async byId(id: string): Promise<UserView | undefined> {
    const { rows } = await this.pool.query<UserView>(`SELECT ${COLUMNS} FROM read.users WHERE id = $1 AND deleted_at IS NULL`, [id]);
    return rows[0];
  }

  /** Live accounts and live workspaces of the platform, for the admins' stats. */
  async census(): Promise<{ users: number; workspaces: number }> {
    const { rows } = await this.pool.query<{ users: number; workspaces: number }>(
      'SELECT (SELECT count(*) FROM read.users WHERE deleted_at IS NULL)::int AS users, (SELECT count(*) FROM read.workspaces WHERE deleted_at IS NULL)::int AS workspaces',
    );
    return rows[0];
  }
}
