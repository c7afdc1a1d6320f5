import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { CheckpointStore, isoTime, PG_POOL } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { amountsFor, round, secondsBetween } from '../domain/usage-arithmetic';
import { UsageRates } from '../domain/usage.events';

/** The consumer that starts and stops meters from the fleet's and the streams' events. */
export const RUN_TRACKER = 'usage-run-tracker';

export interface UnitFilters {
  running?: boolean;
  from?: Date;
  to?: Date;
  clusterId?: string;
  subjectType?: 'instance' | 'stream';
}

export interface UnitView {
  workspace_id: string;
  subject_type: string;
  subject_id: string;
  name: string | null;
  status: 'running' | 'stopped';
  started_at: string;
  ended_at: string | null;
  seconds: number;
  energy_kwh: number;
  emissions_g: number;
  cost: number;
}

// `$1` null: every workspace's (the platform admins' list).
const WHERE = `($1::uuid IS NULL OR workspace_id = $1) AND ($2::boolean IS NULL OR (run_started_at IS NOT NULL) = $2)
  AND ($3::timestamptz IS NULL OR run_started_at IS NOT NULL OR last_ended_at >= $3) AND ($4::timestamptz IS NULL OR first_started_at < $4)
  AND ($5::uuid IS NULL OR cluster_id = $5) AND ($6::text IS NULL OR subject_type = $6)`;

/** Reads of the meters: the running ones for the tick, and the units a workspace lists. */
@Injectable()
export class MeterDirectory {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
  ) {}

  /** Running meters of every workspace, in pages of `batch` in subject order. */
  async *running(batch: number): AsyncIterable<Array<{ workspace_id: string; subject_id: string }>> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const { rows } = await this.pool.query<{ workspace_id: string; subject_id: string }>(
        'SELECT workspace_id, subject_id FROM read.usage_meters WHERE run_started_at IS NOT NULL AND subject_id > $1 ORDER BY subject_id LIMIT $2',
        [after, batch],
      );
      if (rows.length) yield rows;
      if (rows.length < batch) return;
      after = rows[rows.length - 1].subject_id;
    }
  }

  /**
   * How far the tick may record: now, unless the run tracker has not read the whole log yet — then
   * only up to the first event it has not seen, which may be an end the tick must not run past.
   */
  async safeUntil(now: Date): Promise<Date> {
    const checkpoint = await this.checkpoints.get(RUN_TRACKER);
    for await (const unseen of this.store.readAll({ after: checkpoint?.position ?? 0n, maxCount: 1 })) {
      return unseen.recordedAt < now ? unseen.recordedAt : now;
    }
    return now;
  }

  async units(workspaceId: string | undefined, filters: UnitFilters, now: Date, pageSize: number, offset: number): Promise<{ items: UnitView[]; total: number }> {
    const { rows } = await this.pool.query(
      `SELECT workspace_id, subject_type, subject_id, name, run_started_at, recorded_until, rates, seconds, energy_kwh, emissions_g, cost,
         ${isoTime('first_started_at')} AS started_at, ${isoTime('last_ended_at')} AS ended_at, count(*) OVER () AS total
       FROM read.usage_meters WHERE ${WHERE} ORDER BY first_started_at, subject_id LIMIT $7 OFFSET $8`,
      [workspaceId ?? null, filters.running ?? null, filters.from ?? null, filters.to ?? null, filters.clusterId ?? null, filters.subjectType ?? null, pageSize, offset],
    );
    const items = rows.map((r): UnitView => {
      // A running unit counts up to now: add what it used since its last recorded stretch.
      const running = r.run_started_at !== null;
      const since = running ? new Date(Math.max(r.run_started_at.getTime(), r.recorded_until?.getTime() ?? 0)) : now;
      const pending = running && since < now ? amountsFor(secondsBetween(since, now), r.rates as UsageRates) : { seconds: 0, energy_kwh: 0, emissions_g: 0, cost: 0 };
      return {
        workspace_id: r.workspace_id,
        subject_type: r.subject_type,
        subject_id: r.subject_id,
        name: r.name,
        status: running ? 'running' : 'stopped',
        started_at: r.started_at,
        ended_at: running ? null : r.ended_at,
        seconds: round(r.seconds + pending.seconds, 3),
        energy_kwh: round(r.energy_kwh + pending.energy_kwh, 9),
        emissions_g: round(r.emissions_g + pending.emissions_g, 6),
        cost: round(r.cost + pending.cost, 6),
      };
    });
    // A page past the end has no row to carry the total: count it on its own.
    const total = rows[0] ? Number(rows[0].total) : await this.countUnits(workspaceId, filters);
    return { items, total };
  }

  /** How many instances of each workspace have a run open (what the admins' stats call running). */
  async runningInstances(workspaceIds: string[]): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ workspace_id: string; n: number }>(
      `SELECT workspace_id, count(*)::int AS n FROM read.usage_meters
        WHERE workspace_id = ANY($1::uuid[]) AND run_started_at IS NOT NULL AND subject_type = 'instance' GROUP BY workspace_id`,
      [workspaceIds],
    );
    return new Map(rows.map((r) => [r.workspace_id, r.n]));
  }

  private async countUnits(workspaceId: string | undefined, filters: UnitFilters): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM read.usage_meters WHERE ${WHERE}`, [
      workspaceId ?? null,
      filters.running ?? null,
      filters.from ?? null,
      filters.to ?? null,
      filters.clusterId ?? null,
      filters.subjectType ?? null,
    ]);
    return rows[0].n;
  }
}
