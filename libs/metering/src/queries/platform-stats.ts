import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { PG_POOL } from '@streamplane/core';
import { UserDirectory } from '@streamplane/identity';
import { UsageReports } from './usage-reports';

export interface PlatformStats {
  num_users: number;
  num_workspaces: number;
  num_units: number;
  num_active_units: number;
  num_inactive_units: number;
  instances_running: number;
  streams_in_progress: number;
  events: number;
  totals: { seconds: number; energy_kwh: number; emissions_g: number; cost: number; currency: string };
}

/** The platform admins' figures over a window: accounts, metered units, usage events and totals. */
@Injectable()
export class PlatformStatsQuery {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly users: UserDirectory,
    private readonly usage: UsageReports,
  ) {}

  async stats(window: { from?: Date; to: Date }): Promise<PlatformStats> {
    const [census, units, report] = await Promise.all([this.users.census(), this.units(window), this.usage.report({ ...window, tz: 'UTC' })]);
    const { units: _units, ...totals } = report.totals;
    return { num_users: census.users, num_workspaces: census.workspaces, ...units, num_inactive_units: units.num_units - units.num_active_units, totals };
  }

  private async units(window: { from?: Date; to: Date }) {
    const { rows } = await this.pool.query<{ num_units: number; num_active_units: number; instances_running: number; streams_in_progress: number; events: number }>(
      `SELECT count(*)::int AS num_units,
         count(*) FILTER (WHERE run_started_at IS NOT NULL)::int AS num_active_units,
         count(*) FILTER (WHERE run_started_at IS NOT NULL AND subject_type = 'instance')::int AS instances_running,
         count(*) FILTER (WHERE run_started_at IS NOT NULL AND subject_type = 'stream')::int AS streams_in_progress,
         (SELECT count(*) FROM read.usage_statement_events WHERE ($1::timestamptz IS NULL OR recorded_at >= $1) AND recorded_at < $2)::int AS events
       FROM read.usage_meters
       WHERE first_started_at < $2 AND ($1::timestamptz IS NULL OR run_started_at IS NOT NULL OR last_ended_at >= $1)`,
      [window.from ?? null, window.to],
    );
    const { events, ...counts } = rows[0];
    return { ...counts, events };
  }
}
