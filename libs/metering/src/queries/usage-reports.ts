import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, Clock, CLOCK, PG_POOL } from '@streamplane/core';
import { amountsFor, round, secondsBetween } from '../domain/usage-arithmetic';
import { UsageRates } from '../domain/usage.events';
import { BucketRange, usageRanges } from './usage-ranges';

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

/** A report row: one item (`grand` false) or the totals. */
type ReportRow = UsageAmountsView & { key: string | null; window_start: Date | null; grand: boolean };

/** Running units' unrecorded time, as rows beside the rollup's. */
const PENDING = `SELECT * FROM jsonb_to_recordset($1::jsonb) AS p(workspace_id uuid, subject_id uuid, cluster_id uuid, machine_type text, location text, at timestamptz,
  seconds float8, energy_kwh float8, emissions_g float8, cost float8)`;

/** Positional parameters of one statement; the running units' rows, when given, are `$1`. */
class Params {
  readonly values: unknown[];
  constructor(pending?: unknown[]) {
    this.values = pending ? [JSON.stringify(pending)] : [];
  }
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  /**
   * The filters every usage table answers to, as `AND …` conditions: only those given, so the
   * planner sees `workspace_id = …` and reads through the workspace's own key.
   */
  filters(query: Pick<UsageQuery, 'workspaceId' | 'clusterId' | 'subjectType'>): string {
    return [
      query.workspaceId === undefined ? '' : ` AND workspace_id = ${this.add(query.workspaceId)}`,
      query.clusterId === undefined ? '' : ` AND cluster_id = ${this.add(query.clusterId)}`,
      query.subjectType === undefined ? '' : ` AND subject_type = ${this.add(query.subjectType)}`,
    ].join('');
  }
  /** `column` inside `range`, as an `AND …` condition. */
  within(column: string, range: BucketRange): string {
    return `${range.from ? ` AND ${column} >= ${this.add(range.from)}` : ''} AND ${column} < ${this.add(range.to)}`;
  }
}

const AMOUNTS = 'sum(seconds) AS seconds, sum(energy_kwh) AS energy_kwh, sum(emissions_g) AS emissions_g, sum(cost) AS cost';

/**
 * Usage from the rollups, never from the log: grouped, windowed in the caller's time zone, with the
 * stretch each running unit has not had recorded yet counted up to now.
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
    const ranges = usageRanges(query.from, query.to);
    // Items per time window or per subject need the subjects' quarter hours; anything else reads
    // whole hours from the workspace totals and counts units from the subjects' spans.
    const rows = query.window || query.groupBy === 'subject' ? await this.fromQuarterHours(query, ranges.quarters, pending) : await this.fromHours(query, ranges, pending);
    const amounts = (row: UsageAmountsView): UsageAmountsView => ({
      units: row.units,
      seconds: round(row.seconds ?? 0, 3),
      energy_kwh: round(row.energy_kwh ?? 0, 9),
      emissions_g: round(row.emissions_g ?? 0, 6),
      cost: round(row.cost ?? 0, 6),
    });
    const totals = rows.find((r) => r.grand);
    return {
      window: { from: query.from?.toISOString() ?? null, to: query.to.toISOString() },
      items: rows.filter((r) => !r.grand).map((r) => ({ key: r.key, ...(query.window ? { window_start: r.window_start!.toISOString() } : {}), ...amounts(r) })),
      totals: { ...amounts(totals ?? { units: 0, seconds: 0, energy_kwh: 0, emissions_g: 0, cost: 0 }), currency: this.config.metering.currency },
      updated_at: now.toISOString(),
    };
  }

  /**
   * Every quarter hour of each subject in the range: summed per (key, window, subject) first, so
   * units are a count of those rows and the distinct count runs once, over the subjects' sums.
   */
  private async fromQuarterHours(query: UsageQuery, range: BucketRange, pending: unknown[]): Promise<ReportRow[]> {
    const p = new Params(pending);
    const key = KEY[query.groupBy ?? 'none'];
    const tz = query.window ? p.add(query.tz) : '';
    const window = query.window ? `date_trunc('${query.window}', at AT TIME ZONE ${tz}) AT TIME ZONE ${tz}` : 'NULL::timestamptz';
    const { rows } = await this.pool.query<ReportRow>(
      `WITH rows AS (
         SELECT workspace_id, subject_id, cluster_id, machine_type, location, bucket_start AS at, seconds, energy_kwh, emissions_g, cost
         FROM read.usage_rollup WHERE true${p.filters(query)}${p.within('bucket_start', range)}
         UNION ALL ${PENDING}
       ), per AS (
         SELECT ${key} AS key, ${window} AS window_start, subject_id, ${AMOUNTS} FROM rows GROUP BY 1, 2, 3
       )
       SELECT key, window_start, false AS grand, count(*)::int AS units, ${AMOUNTS} FROM per GROUP BY key, window_start
       UNION ALL
       SELECT NULL, NULL, true, count(DISTINCT subject_id)::int, ${AMOUNTS} FROM per
       ORDER BY grand, window_start NULLS FIRST, key NULLS FIRST`,
      p.values,
    );
    return rows;
  }

  /**
   * Whole UTC hours from the workspace totals and the quarter hours at either end from the rollup;
   * units are the subjects with a span of usage meeting the range (or unrecorded time in it).
   */
  private async fromHours(query: UsageQuery, ranges: ReturnType<typeof usageRanges>, pending: unknown[]): Promise<ReportRow[]> {
    const p = new Params(pending);
    const key = KEY[query.groupBy ?? 'none'];
    const columns = `${key} AS key, seconds, energy_kwh, emissions_g, cost`;
    const parts = [
      ...(ranges.hours ? [`SELECT ${columns} FROM read.usage_hourly WHERE true${p.filters(query)}${p.within('bucket_start', ranges.hours)}`] : []),
      ...(ranges.edges.length
        ? [`SELECT ${columns} FROM read.usage_rollup WHERE (${ranges.edges.map((edge) => `(true${p.within('bucket_start', edge)})`).join(' OR ')})${p.filters(query)}`]
        : []),
      `SELECT ${columns} FROM pending`,
    ];
    const meets = `${ranges.quarters.from ? ` AND last_bucket >= ${p.add(ranges.quarters.from)}` : ''} AND first_bucket < ${p.add(ranges.quarters.to)}`;
    const { rows } = await this.pool.query<ReportRow>(
      `WITH pending AS (${PENDING}),
       sums AS (${parts.join(' UNION ALL ')}),
       subjects AS (
         SELECT ${key} AS key, subject_id FROM read.usage_spans WHERE true${p.filters(query)}${meets}
         UNION ALL SELECT ${key}, subject_id FROM pending
       ),
       amounts AS (SELECT key, ${AMOUNTS} FROM sums GROUP BY key),
       units AS (SELECT key, count(DISTINCT subject_id)::int AS units FROM subjects GROUP BY key)
       SELECT a.key, NULL::timestamptz AS window_start, false AS grand, COALESCE(u.units, 0) AS units, a.seconds, a.energy_kwh, a.emissions_g, a.cost
       FROM amounts a LEFT JOIN units u ON u.key IS NOT DISTINCT FROM a.key
       UNION ALL
       SELECT NULL, NULL, true, (SELECT count(DISTINCT subject_id)::int FROM subjects), ${AMOUNTS} FROM sums
       ORDER BY grand, key NULLS FIRST`,
      p.values,
    );
    return rows;
  }

  /** What each running unit has used since its last recorded stretch, inside the window and up to now. */
  async unrecorded(query: Omit<UsageQuery, 'tz'>, now: Date) {
    const p = new Params();
    const { rows } = await this.pool.query<RunningMeter>(
      `SELECT workspace_id, subject_id, subject_type, cluster_id, machine_type, location, run_started_at, recorded_until, rates
       FROM read.usage_meters WHERE run_started_at IS NOT NULL${p.filters(query)}`,
      p.values,
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
