import { objectSchema, SchemaObject } from '@streamplane/core';

const LINE: SchemaObject = objectSchema({
  subject_type: { type: 'string', enum: ['instance', 'stream'] },
  subject_id: { type: 'string', format: 'uuid' },
  description: { type: 'string' },
  machine_type: { type: 'string' },
  seconds: { type: 'number' },
  energy_kwh: { type: 'number' },
  emissions_g: { type: 'number' },
  unit_price_per_hour: { type: 'number' },
  amount: { type: 'number' },
  events: objectSchema({ count: { type: 'integer' }, first_position: { type: 'string' }, last_position: { type: 'string' } }),
});
LINE.required = LINE.required!.filter((name) => name !== 'machine_type');

export const STATEMENT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['id', 'month', 'status', 'currency', 'amount', 'free_tier_seconds_applied', 'lines'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    month: { type: 'string', example: '2026-10', description: 'a UTC month' },
    status: { type: 'string', enum: ['open', 'issued'] },
    currency: { type: 'string', example: 'USD' },
    amount: { type: 'number' },
    free_tier_seconds_applied: { type: 'number' },
    lines: { type: 'array', items: LINE },
    issued_at: { type: 'string', format: 'date-time' },
    digest: { type: 'string', description: 'SHA-256 (hex) of the issued statement as canonical JSON' },
  },
};

export const CURRENT_BILLING_SCHEMA = objectSchema({
  amount: { type: 'number' },
  currency: { type: 'string' },
  period_start: { type: 'string', format: 'date-time' },
  period_end: { type: 'string', format: 'date-time' },
  free_tier_seconds: { type: 'number' },
  free_tier_seconds_left: { type: 'number' },
  has_surpassed_free_tier: { type: 'boolean' },
  updated_at: { type: 'string', format: 'date-time' },
});

export const USAGE_EVENT_SCHEMA = objectSchema({
  event_id: { type: 'string', format: 'uuid' },
  type: { type: 'string', enum: ['UsageRecorded', 'UsageCorrected'] },
  stream_id: { type: 'string' },
  revision: { type: 'string' },
  position: { type: 'string' },
  data: { type: 'object' },
  metadata: { type: 'object' },
  recorded_at: { type: 'string', format: 'date-time' },
});

export const PLATFORM_STATS_SCHEMA = objectSchema({
  num_users: { type: 'integer' },
  num_workspaces: { type: 'integer' },
  num_units: { type: 'integer', description: 'instances and streams metered in the window' },
  num_active_units: { type: 'integer', description: 'of those, running now' },
  num_inactive_units: { type: 'integer' },
  instances_running: { type: 'integer' },
  streams_in_progress: { type: 'integer' },
  events: { type: 'integer', description: 'usage events recorded in the window' },
  totals: objectSchema({ seconds: { type: 'number' }, energy_kwh: { type: 'number' }, emissions_g: { type: 'number' }, cost: { type: 'number' }, currency: { type: 'string' } }),
});
