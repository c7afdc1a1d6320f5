import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { APP_CONFIG, AppConfig, Clock, CLOCK, deterministicUuid, isoTime, NotFoundError, PG_POOL } from '@streamplane/core';
import { round } from '../domain/usage-arithmetic';
import { IssuedStatement, StatementLine } from '../domain/statement.events';
import { UsageReports } from './usage-reports';

/** The id of a workspace's statement for a UTC month (`YYYY-MM`): the same before and after it is issued. */
export const statementIdOf = (workspaceId: string, month: string) => deterministicUuid('statement', workspaceId, month);

export interface CurrentBilling {
  amount: number;
  currency: string;
  period_start: string;
  period_end: string;
  free_tier_seconds: number;
  free_tier_seconds_left: number;
  has_surpassed_free_tier: boolean;
  updated_at: string;
}

export interface StatementView {
  id: string;
  month: string;
  status: 'open' | 'issued';
  currency: string;
  amount: number;
  free_tier_seconds_applied: number;
  lines: StatementLine[];
  issued_at?: string;
  digest?: string;
}

interface MonthRow {
  month: string;
  seconds: number;
  cost: number;
  free_seconds: number;
  free_cost: number;
}

const money = (value: number) => round(value, 2);
const monthStart = (month: string) => new Date(`${month}-01T00:00:00.000Z`);
const nextMonth = (month: string) => {
  const start = monthStart(month);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
};

/** Monthly statements and the month so far, from the usage read model. */
@Injectable()
export class BillingStatements {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly usage: UsageReports,
  ) {}

  /** The UTC month so far: recorded usage, plus what running units used since, free tier first. */
  async current(workspaceId: string): Promise<CurrentBilling> {
    const now = this.clock.now();
    const month = now.toISOString().slice(0, 7);
    const row = (await this.months(workspaceId, month))[0] ?? { month, seconds: 0, cost: 0, free_seconds: 0, free_cost: 0 };
    const freeTier = this.config.metering.freeTierSeconds;
    let freeLeft = Math.max(0, freeTier - row.free_seconds);
    let amount = row.cost - row.free_cost;
    for (const pending of await this.usage.unrecorded({ workspaceId, from: monthStart(month), to: now }, now)) {
      const free = Math.min(freeLeft, pending.seconds);
      freeLeft -= free;
      amount += pending.seconds > 0 ? (pending.cost * (pending.seconds - free)) / pending.seconds : 0;
    }
    return {
      amount: money(amount),
      currency: this.config.metering.currency,
      period_start: monthStart(month).toISOString(),
      period_end: nextMonth(month).toISOString(),
      free_tier_seconds: freeTier,
      free_tier_seconds_left: round(freeLeft, 3),
      has_surpassed_free_tier: freeLeft <= 0 && freeTier >= 0 && row.seconds > 0,
      updated_at: now.toISOString(),
    };
  }

  /** Every month the workspace used something in, newest first. */
  async list(workspaceId: string, limit: number, offset: number): Promise<{ items: StatementView[]; count: number }> {
    const months = await this.months(workspaceId);
    const items = await Promise.all(months.slice(offset, offset + limit).map((m) => this.statement(workspaceId, m)));
    return { items, count: months.length };
  }

  async get(workspaceId: string, id: string): Promise<StatementView> {
    const month = (await this.months(workspaceId)).find((m) => statementIdOf(workspaceId, m.month) === id);
    if (!month) throw new NotFoundError('no such statement');
    return this.statement(workspaceId, month);
  }

  /** The usage events a statement stands on, in log order: summing them gives the statement. */
  async events(workspaceId: string, id: string, limit: number, offset: number) {
    const statement = await this.get(workspaceId, id);
    const through = statement.status === 'issued' ? await this.issuedThrough(workspaceId, statement.month) : null;
    const { rows } = await this.pool.query(
      `SELECT event_id, type, stream_id, revision::text, position::text, data, metadata, ${isoTime('recorded_at')} AS recorded_at, count(*) OVER () AS total
       FROM read.usage_statement_events
       WHERE workspace_id = $1 AND month = $2 AND ($3::bigint IS NULL OR position <= $3)
       ORDER BY position LIMIT $4 OFFSET $5`,
      [workspaceId, `${statement.month}-01`, through, limit, offset],
    );
    return { items: rows.map(({ total: _total, ...event }) => event), count: rows[0] ? Number(rows[0].total) : 0 };
  }

  /**
   * What a statement for a month that has ended would freeze, read at one instant together with
   * the log position the usage projection had reached: the lines hold exactly the month's events up
   * to that position.
   */
  async toIssue(workspaceId: string, month: string): Promise<IssuedStatement> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows: checkpoint } = await client.query<{ position: string }>(`SELECT position::text FROM projection_checkpoints WHERE name = 'usage'`);
      const statement = await this.frozen(client, workspaceId, month, checkpoint[0]?.position ?? '0');
      await client.query('COMMIT');
      return statement;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async frozen(client: PoolClient, workspaceId: string, month: string, throughPosition: string): Promise<IssuedStatement> {
    const row = (await this.months(workspaceId, month, client))[0];
    const lines = await this.lines(workspaceId, month, client);
    const cost = row?.cost ?? 0;
    return {
      workspace_id: workspaceId,
      month,
      currency: this.config.metering.currency,
      amount: money(cost - (row?.free_cost ?? 0)),
      free_tier_seconds_applied: round(row?.free_seconds ?? 0, 3),
      lines,
      through_position: throughPosition,
    };
  }

  /** Months that ended before `now` and have usage but no issued statement. */
  async unissued(now: Date): Promise<Array<{ workspaceId: string; month: string }>> {
    const { rows } = await this.pool.query<{ workspace_id: string; month: string }>(
      `SELECT m.workspace_id, to_char(m.month, 'YYYY-MM') AS month FROM read.usage_months m
       WHERE m.month < date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC')::date
         AND NOT EXISTS (SELECT 1 FROM read.billing_statements s WHERE s.workspace_id = m.workspace_id AND s.month = m.month)
       ORDER BY m.month, m.workspace_id`,
      [now],
    );
    return rows.map((r) => ({ workspaceId: r.workspace_id, month: r.month }));
  }

  private async statement(workspaceId: string, month: MonthRow): Promise<StatementView> {
    const id = statementIdOf(workspaceId, month.month);
    const { rows } = await this.pool.query(
      `SELECT currency, amount, free_tier_seconds_applied, lines, digest, ${isoTime('issued_at')} AS issued_at FROM read.billing_statements WHERE id = $1`,
      [id],
    );
    if (rows[0]) return { id, month: month.month, status: 'issued', ...rows[0] };
    return {
      id,
      month: month.month,
      status: 'open',
      currency: this.config.metering.currency,
      amount: money(month.cost - month.free_cost),
      free_tier_seconds_applied: round(month.free_seconds, 3),
      lines: await this.lines(workspaceId, month.month),
    };
  }

  private async lines(workspaceId: string, month: string, db: Pool | PoolClient = this.pool): Promise<StatementLine[]> {
    const { rows } = await db.query(
      `SELECT subject_type, subject_id, name, machine_type, seconds, energy_kwh, emissions_g, unit_price_per_hour, cost, event_count, first_position::text, last_position::text
       FROM read.usage_statement_lines WHERE workspace_id = $1 AND month = $2 ORDER BY first_position`,
      [workspaceId, `${month}-01`],
    );
    return rows.map((r) => ({
      subject_type: r.subject_type,
      subject_id: r.subject_id,
      description: `${r.subject_type} ${r.name ?? r.subject_id}${r.machine_type ? ` (${r.machine_type})` : ''}`,
      ...(r.machine_type ? { machine_type: r.machine_type } : {}),
      seconds: round(r.seconds, 3),
      energy_kwh: round(r.energy_kwh, 9),
      emissions_g: round(r.emissions_g, 6),
      unit_price_per_hour: r.unit_price_per_hour,
      amount: round(r.cost, 6),
      events: { count: r.event_count, first_position: r.first_position, last_position: r.last_position },
    }));
  }

  private async months(workspaceId: string, month?: string, db: Pool | PoolClient = this.pool): Promise<MonthRow[]> {
    const { rows } = await db.query<MonthRow>(
      `SELECT to_char(month, 'YYYY-MM') AS month, seconds, cost, free_seconds, free_cost FROM read.usage_months
       WHERE workspace_id = $1 AND ($2::date IS NULL OR month = $2) ORDER BY month DESC`,
      [workspaceId, month ? `${month}-01` : null],
    );
    return rows;
  }

  private async issuedThrough(workspaceId: string, month: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ through: string }>('SELECT through_position::text AS through FROM read.billing_statements WHERE workspace_id = $1 AND month = $2', [
      workspaceId,
      `${month}-01`,
    ]);
    return rows[0]?.through ?? null;
  }
}
