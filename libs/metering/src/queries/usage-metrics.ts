import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { MetricsService, PG_POOL } from '@streamplane/core';

const LABELS = ['subject_type', 'machine_type', 'location'] as const;

/**
 * Usage totals at /metrics, by subject type, machine type and location (per workspace would be too
 * many series). Read from the usage read model at scrape time, so every process serving /metrics
 * shows the same figures, whichever process projected them. Gauges, not counters: a correction
 * may take usage away.
 */
@Injectable()
export class UsageMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  onModuleInit(): void {
    let refreshing: Promise<void> | undefined;
    // The three gauges read one query; whichever is collected first runs it for the scrape.
    const collect = async () => {
      refreshing ??= this.refresh(gauges).finally(() => setTimeout(() => (refreshing = undefined), 1000));
      await refreshing.catch(() => undefined); // an unreachable database leaves the last figures
    };
    const options = { labelNames: LABELS, registers: [this.metrics.registry], collect };
    const gauges = {
      seconds: new Gauge({ name: 'usage_seconds', help: 'Metered running time', ...options }),
      energy_kwh: new Gauge({ name: 'usage_energy_kwh', help: 'Energy of metered running time (kWh, PUE included)', ...options }),
      emissions_g: new Gauge({ name: 'usage_emissions_grams', help: 'Emissions of that energy (grams CO2e)', ...options }),
    };
  }

  private async refresh(gauges: Record<'seconds' | 'energy_kwh' | 'emissions_g', Gauge<(typeof LABELS)[number]>>): Promise<void> {
    const { rows } = await this.pool.query<Record<(typeof LABELS)[number], string> & { seconds: number; energy_kwh: number; emissions_g: number }>(
      `SELECT subject_type, machine_type, location, sum(seconds) AS seconds, sum(energy_kwh) AS energy_kwh, sum(emissions_g) AS emissions_g
       FROM read.usage_meters GROUP BY 1, 2, 3`,
    );
    for (const gauge of Object.values(gauges)) gauge.reset();
    for (const row of rows) {
      const labels = { subject_type: row.subject_type, machine_type: row.machine_type || 'none', location: row.location || 'none' };
      for (const field of ['seconds', 'energy_kwh', 'emissions_g'] as const) gauges[field].set(labels, row[field]);
    }
  }
}
