import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { APP_CONFIG, AppConfig, ConsumerRegistry, entityVersion, eventRouter, Projection, RecordedEventOf } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { StatementEvent, statementStreams, UsageAmounts, UsageEvent, usageStreams } from '@streamplane/metering/events';
import { quarterHours, utcHourOf, utcMonthOf } from './quarter-hours';

type Amounts = Pick<UsageAmounts, 'seconds' | 'energy_kwh' | 'emissions_g' | 'cost'>;

/**
 * Moves the meter to the event's version and adds the amounts to its totals; false when the event
 * was applied already, so the rollups below it add each event once.
 */
async function advance(client: PoolClient, event: RecordedEvent, set: string, values: unknown[], amounts?: Amounts): Promise<boolean> {
  const a = amounts ?? { seconds: 0, energy_kwh: 0, emissions_g: 0, cost: 0 };
  const { rowCount } = await client.query(
    `UPDATE usage_meters SET ${set}, version = $2, seconds = seconds + $3, energy_kwh = energy_kwh + $4, emissions_g = emissions_g + $5, cost = cost + $6
     WHERE subject_id = $1 AND version < $2`,
    [usageStreams.idOf(event.streamId), entityVersion(event), a.seconds, a.energy_kwh, a.emissions_g, a.cost, ...values],
  );
  return Boolean(rowCount);
}

/**
 * Usage of every workspace: meters, quarter-hour rollups (with hourly workspace totals and each
 * subject's spans of consecutive quarter hours beside them) and the lines and events of monthly statements.
 */
@Injectable()
export class UsageProjection implements Projection {
  readonly name = 'usage';
  readonly kind = 'projection' as const;
  readonly context = 'metering';
  readonly migrations = { name: 'projection_usage', dir: join(__dirname, 'migrations') };

  private readonly router = eventRouter<UsageEvent | StatementEvent, PoolClient>({
    UsageMeteringStarted: async (event, client) => {
      const { subject, rates, at } = event.data;
      await client.query(
        `INSERT INTO usage_meters (subject_id, workspace_id, subject_type, cluster_id, name, machine_type, location, first_started_at, run_started_at, rates, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)
         ON CONFLICT (subject_id) DO UPDATE SET run_started_at = $8, rates = $9, version = $10, name = COALESCE($5, usage_meters.name),
           cluster_id = COALESCE($4, usage_meters.cluster_id), machine_type = $6, location = $7
         WHERE usage_meters.version < $10`,
        [subject.subject_id, subject.workspace_id, subject.subject_type, subject.cluster_id ?? null, subject.name ?? null, rates.machine_type ?? '', rates.location ?? '', at, rates, entityVersion(event)],
      );
    },
    UsageRecorded: async (event, client) => {
      if (!(await advance(client, event, 'recorded_until = $7', [event.data.to], event.data))) return;
      await this.addToRollup(client, event, event.data.from, event.data.to);
      const month = await this.billingMonth(client, event);
      await this.addToStatement(client, event, month);
      await this.addToMonth(client, event, month, this.config.metering.freeTierSeconds);
    },
    UsageMeteringStopped: async (event, client) => {
      await advance(client, event, 'run_started_at = NULL, last_ended_at = $7', [event.data.at]);
    },
    UsageCorrected: async (event, client) => {
      if (!(await advance(client, event, 'recorded_until = recorded_until', [], event.data))) return;
      await this.addToRollup(client, event, event.data.from, event.data.to);
      // A correction goes on the statement open when it was made: an issued one never changes.
      await this.addToStatement(client, event, utcMonthOf(event.recordedAt));
      await this.addToMonth(client, event, utcMonthOf(event.recordedAt), 0);
    },
    StatementIssued: async (event, client) => {
      const d = event.data;
      await client.query(
        `INSERT INTO billing_statements (id, workspace_id, month, currency, amount, free_tier_seconds_applied, lines, through_position, digest, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
        [statementStreams.idOf(event.streamId), d.workspace_id, `${d.month}-01`, d.currency, d.amount, d.free_tier_seconds_applied, JSON.stringify(d.lines), d.through_position, d.digest, d.at],
      );
    },
  });
  readonly eventTypes = this.router.eventTypes;

  constructor(
    registry: ConsumerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    for (const event of events) await this.router.route(event, client);
  }

  private async addToRollup(client: PoolClient, event: RecordedEventOf<UsageEvent & { type: 'UsageRecorded' | 'UsageCorrected' }>, from: string, to: string): Promise<void> {
    const d = event.data;
    const machineType = 'machine_type' in d ? (d.machine_type ?? '') : '';
    const location = 'location' in d ? (d.location ?? '') : '';
    // Each quarter hour's share goes to the subject's quarter hour, the workspace's hour, and the
    // subject's span of consecutive quarter hours (joined with the spans it touches), in one statement.
    for (const { start, share } of quarterHours(new Date(from), new Date(to))) {
      await client.query(
        `WITH quarter AS (
           INSERT INTO usage_rollup (workspace_id, bucket_start, subject_id, subject_type, cluster_id, machine_type, location, seconds, energy_kwh, emissions_g, cost)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (workspace_id, bucket_start, subject_id, machine_type, location) DO UPDATE SET
             seconds = usage_rollup.seconds + $8, energy_kwh = usage_rollup.energy_kwh + $9, emissions_g = usage_rollup.emissions_g + $10, cost = usage_rollup.cost + $11
         ), hour AS (
           INSERT INTO usage_hourly AS h (workspace_id, bucket_start, subject_type, cluster_id, machine_type, location, seconds, energy_kwh, emissions_g, cost)
           VALUES ($1, $12, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT ON CONSTRAINT usage_hourly_key DO UPDATE SET
             seconds = h.seconds + $8, energy_kwh = h.energy_kwh + $9, emissions_g = h.emissions_g + $10, cost = h.cost + $11
         ), joined AS (
           DELETE FROM usage_spans WHERE workspace_id = $1 AND subject_id = $3 AND machine_type = $6 AND location = $7
             AND first_bucket <= $2::timestamptz + interval '15 minutes' AND last_bucket >= $2::timestamptz - interval '15 minutes'
           RETURNING first_bucket, last_bucket
         )
         INSERT INTO usage_spans (workspace_id, subject_id, subject_type, cluster_id, machine_type, location, first_bucket, last_bucket)
         SELECT $1, $3, $4, $5, $6, $7, LEAST($2::timestamptz, min(first_bucket)), GREATEST($2::timestamptz, max(last_bucket)) FROM joined`,
        [d.workspace_id, start, d.subject_id, d.subject_type, d.cluster_id ?? null, machineType, location, d.seconds * share, d.energy_kwh * share, d.emissions_g * share, d.cost * share, utcHourOf(start)],
      );
    }
  }

  /**
   * The statement a stretch is billed on: the month it ran in, unless that month's statement was
   * issued without it (it came later in the log), then the month open when it was recorded.
   */
  private async billingMonth(client: PoolClient, event: RecordedEventOf<UsageEvent & { type: 'UsageRecorded' }>): Promise<string> {
    const month = utcMonthOf(new Date(event.data.from));
    const { rows } = await client.query<{ late: boolean }>('SELECT through_position < $3 AS late FROM billing_statements WHERE workspace_id = $1 AND month = $2', [
      event.data.workspace_id,
      month,
      event.position.toString(),
    ]);
    return rows[0]?.late ? utcMonthOf(event.recordedAt) : month;
  }

  /**
   * The month's totals. Recorded seconds use up what is left of the free tier first (their share of
   * the cost goes to `free_cost`); corrections (`freeTier` 0) change what is charged, not the tier.
   */
  private async addToMonth(client: PoolClient, event: RecordedEventOf<UsageEvent & { type: 'UsageRecorded' | 'UsageCorrected' }>, month: string, freeTier: number): Promise<void> {
    const d = event.data;
    await client.query(
      `WITH v AS (SELECT $3::float8 AS seconds, $6::float8 AS cost, $7::float8 AS tier)
       INSERT INTO usage_months AS m (workspace_id, month, seconds, energy_kwh, emissions_g, cost, free_seconds, free_cost, updated_at)
       SELECT $1, $2, v.seconds, $4, $5, v.cost, LEAST(v.tier, GREATEST(v.seconds, 0)), CASE WHEN v.seconds > 0 THEN v.cost * LEAST(v.tier, v.seconds) / v.seconds ELSE 0 END, $8 FROM v
       ON CONFLICT (workspace_id, month) DO UPDATE SET
         seconds = m.seconds + EXCLUDED.seconds, energy_kwh = m.energy_kwh + EXCLUDED.energy_kwh, emissions_g = m.emissions_g + EXCLUDED.emissions_g, cost = m.cost + EXCLUDED.cost,
         free_seconds = m.free_seconds + LEAST(GREATEST($7::float8 - m.free_seconds, 0), GREATEST(EXCLUDED.seconds, 0)),
         free_cost = m.free_cost + CASE WHEN EXCLUDED.seconds > 0 THEN EXCLUDED.cost * LEAST(GREATEST($7::float8 - m.free_seconds, 0), EXCLUDED.seconds) / EXCLUDED.seconds ELSE 0 END,
         updated_at = GREATEST(m.updated_at, EXCLUDED.updated_at)`,
      [d.workspace_id, month, d.seconds, d.energy_kwh, d.emissions_g, d.cost, freeTier, event.recordedAt],
    );
  }

  private async addToStatement(client: PoolClient, event: RecordedEventOf<UsageEvent & { type: 'UsageRecorded' | 'UsageCorrected' }>, month: string): Promise<void> {
    const d = event.data;
    const machineType = 'machine_type' in d ? (d.machine_type ?? '') : '';
    await client.query(
      `INSERT INTO usage_statement_lines (workspace_id, month, subject_id, subject_type, name, machine_type, unit_price_per_hour, currency, seconds, energy_kwh, emissions_g, cost, event_count, first_position, last_position)
       VALUES ($1, $2, $3, $4, (SELECT name FROM usage_meters WHERE subject_id = $3), $5, $6, $7, $8, $9, $10, $11, 1, $12, $12)
       ON CONFLICT (workspace_id, month, subject_id, machine_type, unit_price_per_hour, currency) DO UPDATE SET
         seconds = usage_statement_lines.seconds + $8, energy_kwh = usage_statement_lines.energy_kwh + $9, emissions_g = usage_statement_lines.emissions_g + $10,
         cost = usage_statement_lines.cost + $11, event_count = usage_statement_lines.event_count + 1,
         first_position = LEAST(usage_statement_lines.first_position, $12), last_position = GREATEST(usage_statement_lines.last_position, $12)`,
      [d.workspace_id, month, d.subject_id, d.subject_type, machineType, d.unit_price_per_hour, d.currency, d.seconds, d.energy_kwh, d.emissions_g, d.cost, event.position.toString()],
    );
    await client.query(
      `INSERT INTO usage_statement_events (workspace_id, month, position, event_id, type, stream_id, revision, data, metadata, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [d.workspace_id, month, event.position.toString(), event.eventId, event.type, event.streamId, event.revision.toString(), d, event.metadata, event.recordedAt],
    );
  }
}
