import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, Clock, CLOCK, PG_POOL } from '@streamplane/core';
import { amountsFor, round, secondsBetween } from '../domain/usage-arithmetic';
import { UsageRates } from '../domain/usage.events';

export type UsageGroup = 'subject' | 'cluster' | 'machine_type' | 'location' | 'workspace';
export type UsageWindow = 'hour' | 'day' | 'month';

export interface UsageQuery {
  /** One workspace, or every workspace (platform admins). */
  workspaceId?: string;
  /** Undefined `from` is all time (`global`). */
  from?: Date;
  to: Date;
  clusterId?: string;
  subjectType?: 'instance' | 'stream';
  groupBy?: UsageGroup;
  window?: UsageWindow;
  tz: string;
}

export interface UsageAmountsView {
  units: number;
  seconds: number;
  energy_kwh: number;
  emissions_g: number;
  cost: number;
}

export interface UsageReport {
  window: { from: string | null; to: string };
  items: Array<UsageAmountsView & { key: string | null; window_start?: string }>;
  totals: UsageAmountsView & { currency: string };
  updated_at: string;
}

const KEY: Record<UsageGroup | 'none', string> = {
  subject: 'subject_id::text',
  cluster: 'cluster_id::text',
  machine_type: "NULLIF(machine_type, '')",
  location: "NULLIF(location, '')",
  workspace: 'workspace_id::text',
  none: 'NULL::text',
};

/** A running meter's rates and where its recorded usage ends. */
interface RunningMeter {
  workspace_id: string;
  subject_id: string;
  subject_type: string;
  cluster_id: string | null;
  machine_type: string;
  location: string;
  run_started_at: Date;
  recorded_until: Date | null;
  rates: UsageRates;
}

/**
 * Usage from the quarter-hour rollup, never from the log: grouped, windowed in the caller's time
 * zone, with the stretch each running unit has not had recorded yet counted up to now.
 */
@Injectable()
export class UsageReports {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async report(query: UsageQuery): Promise<UsageReport> {
    const now = this.clock.now();
    const pending = await this.unrecorded(query, now);
    const key = KEY[query.groupBy ?? 'none'];
    const window = query.window ? `date_trunc('${query.window}', at AT TIME ZONE $7) AT TIME ZONE $7` : 'NULL::timestamptz';
    const { rows } = await this.pool.query<UsageAmountsView & { key: string | null; window_start: Date | null; grand: number }>(
      `WITH rows AS (
         SELECT workspace_id, subject_id, cluster_id, machine_type, location, bucket_start AS at, seconds, energy_kwh, emissions_g, cost
         FROM read.usage_rollup
         WHERE ($1::uuid IS NULL OR workspace_id = $1) AND ($2::timestamptz IS NULL OR bucket_start > $2::timestamptz - interval '15 minutes') AND bucket_start < $3
           AND ($4::uuid IS NULL OR cluster_id = $4) AND ($5::text IS NULL OR subject_type = $5)
         UNION ALL
         SELECT workspace_id, subject_id, cluster_id, machine_type, location, at, seconds, energy_kwh, emissions_g, cost
         FROM jsonb_to_recordset($6::jsonb) AS p(workspace_id uuid, subject_id uuid, cluster_id uuid, machine_type text, location text, at timestamptz,
           seconds float8, energy_kwh float8, emissions_g float8, cost float8)
       ), keyed AS (SELECT *, ${key} AS key, ${window} AS window_start FROM rows)
       SELECT key, window_start, GROUPING(key, window_start) AS grand, count(DISTINCT subject_id)::int AS units,
         sum(seconds) AS seconds, sum(energy_kwh) AS energy_kwh, sum(emissions_g) AS emissions_g, sum(cost) AS cost
       FROM keyed GROUP BY GROUPING SETS ((key, window_start), ())
       ORDER BY grand, window_start NULLS FIRST, key NULLS FIRST`,
      [query.workspaceId ?? null, query.from ?? null, query.to, query.clusterId ?? null, query.subjectType ?? null, JSON.stringify(pending), ...(query.window ? [query.tz] : [])],
    );
    const amounts = (row: UsageAmountsView): UsageAmountsView => ({
      units: row.units,
      seconds: round(row.seconds ?? 0, 3),
      energy_kwh: round(row.energy_kwh ?? 0, 9),
      emissions_g: round(row.emissions_g ?? 0, 6),
      cost: round(row.cost ?? 0, 6),
    });
    const totals = rows.find((r) => r.grand === 3);
    return {
      window: { from: query.from?.toISOString() ?? null, to: query.to.toISOString() },
      items: rows.filter((r) => r.grand === 0).map((r) => ({ key: r.key, ...(query.window ? { window_start: r.window_start!.toISOString() } : {}), ...amounts(r) })),
      totals: { ...amounts(totals ?? { units: 0, seconds: 0, energy_kwh: 0, emissions_g: 0, cost: 0 }), currency: this.config.metering.currency },
      updated_at: now.toISOString(),
    };
  }

  /** What each running unit has used since its last recorded stretch, inside the window and up to now. */
  async unrecorded(query: Omit<UsageQuery, 'tz'>, now: Date) {
    const { rows } = await this.pool.query<RunningMeter>(
      `SELECT workspace_id, subject_id, subject_type, cluster_id, machine_type, location, run_started_at, recorded_until, rates
       FROM read.usage_meters
       WHERE run_started_at IS NOT NULL AND ($1::uuid IS NULL OR workspace_id = $1) AND ($2::uuid IS NULL OR cluster_id = $2) AND ($3::text IS NULL OR subject_type = $3)`,
      [query.workspaceId ?? null, query.clusterId ?? null, query.subjectType ?? null],
    );
    const until = Math.min(now.getTime(), query.to.getTime());
    return rows.flatMap((meter) => {
      const recorded = Math.max(meter.run_started_at.getTime(), meter.recorded_until?.getTime() ?? 0);
      const from = Math.max(recorded, query.from?.getTime() ?? 0);
      if (until <= from) return [];
      const { subject_type: _type, run_started_at: _start, recorded_until: _until, rates, ...where } = meter;
      return [{ ...where, at: new Date(from).toISOString(), ...amountsFor(secondsBetween(new Date(from), new Date(until)), rates) }];
    });
  }
}
