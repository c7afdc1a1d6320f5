import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { isoTime, PG_POOL, Queryable } from '@streamplane/core';
import { EventFilter } from '../domain/webhook.events';
import { WebhookSecrets } from '../secrets/webhook-secrets';

export interface WebhookView {
  id: string;
  name: string;
  url: string;
  authorization_header: string | null;
  event_filter: EventFilter;
  is_enabled: boolean;
  /** Why it is disabled (`requested`, `gone`, `failing`), or null. */
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface DeliveryView {
  id: string;
  event_id: string;
  event_type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: Array<{ n: number; at: string; status_code: number | null; duration_ms: number; error: string | null }>;
  next_attempt_at: string | null;
}

/** An enabled webhook as the delivery reactor sees it. */
export interface WebhookTarget {
  id: string;
  workspace_id: string;
  event_filter: EventFilter;
  enabled_position: string;
}

const COLUMNS = `id, workspace_id, name, url, sealed_authorization_header, event_filter, is_enabled, disabled_reason, ${isoTime('created_at')} AS created_at, ${isoTime('updated_at')} AS updated_at, version`;

type WebhookRow = Omit<WebhookView, 'authorization_header'> & { workspace_id: string; sealed_authorization_header: string | null };

/** Reads of the webhooks read model, scoped by workspace; the Authorization header is opened here. */
@Injectable()
export class WebhookDirectory {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly secrets: WebhookSecrets,
  ) {}

  async list(workspaceId: string, pageSize: number, offset: number): Promise<{ items: WebhookView[]; total: number }> {
    const { rows } = await this.pool.query<WebhookRow & { total: string }>(
      `SELECT ${COLUMNS}, count(*) OVER () AS total FROM read.webhooks WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY created_at, id LIMIT $2 OFFSET $3`,
      [workspaceId, pageSize, offset],
    );
    const total = rows[0] ? Number(rows[0].total) : await this.count(workspaceId);
    return { items: await Promise.all(rows.map(({ total: _total, ...row }) => this.view(row))), total };
  }

  /** `db`: another connection's view of the rows (a time-travel read replays them in its own transaction). */
  async get(workspaceId: string, webhookId: string, db: Queryable = this.pool): Promise<WebhookView | undefined> {
    const { rows } = await db.query<WebhookRow>(`SELECT ${COLUMNS} FROM read.webhooks WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL`, [workspaceId, webhookId]);
    return rows[0] && this.view(rows[0]);
  }

  private async view({ workspace_id: workspaceId, sealed_authorization_header: sealed, ...row }: WebhookRow): Promise<WebhookView> {
    return { ...row, authorization_header: await this.secrets.openHeader(workspaceId, row.id, sealed) };
  }

  async deliveries(
    workspaceId: string,
    webhookId: string,
    filter: { status?: string; eventId?: string },
    pageSize: number,
    offset: number,
  ): Promise<{ items: DeliveryView[]; total: number }> {
    const { rows } = await this.pool.query<DeliveryView & { total: string }>(
      `SELECT id, event_id, event_type, status, attempts, ${isoTime('next_attempt_at')} AS next_attempt_at, count(*) OVER () AS total
       FROM read.webhook_deliveries
       WHERE workspace_id = $1 AND webhook_id = $2 AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR event_id = $4)
       ORDER BY event_position DESC, id LIMIT $5 OFFSET $6`,
      [workspaceId, webhookId, filter.status ?? null, filter.eventId ?? null, pageSize, offset],
    );
    return { items: rows.map(({ total: _total, ...view }) => view), total: rows[0] ? Number(rows[0].total) : 0 };
  }

  private async count(workspaceId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM read.webhooks WHERE workspace_id = $1 AND deleted_at IS NULL', [workspaceId]);
    return Number(rows[0].n);
  }
}
