-- Up Migration
-- One row per metered subject: its current run (if any), the rates of that run and its totals.
CREATE TABLE usage_meters (
  subject_id        uuid             PRIMARY KEY,
  workspace_id      uuid             NOT NULL,
  subject_type      text             NOT NULL,
  cluster_id        uuid,
  name              text,
  machine_type      text             NOT NULL DEFAULT '',
  location          text             NOT NULL DEFAULT '',
  first_started_at  timestamptz      NOT NULL,
  run_started_at    timestamptz,
  last_ended_at     timestamptz,
  recorded_until    timestamptz,
  rates             jsonb            NOT NULL,
  seconds           double precision NOT NULL DEFAULT 0,
  energy_kwh        double precision NOT NULL DEFAULT 0,
  emissions_g       double precision NOT NULL DEFAULT 0,
  cost              double precision NOT NULL DEFAULT 0,
  version           integer          NOT NULL
);
CREATE INDEX usage_meters_running ON usage_meters (run_started_at, subject_id) WHERE run_started_at IS NOT NULL;
CREATE INDEX usage_meters_workspace ON usage_meters (workspace_id, first_started_at, subject_id);

-- Usage summed per subject and quarter hour (every time zone's offset is a multiple of 15 minutes,
-- so hours, days and months of any zone are unions of these buckets).
CREATE TABLE usage_rollup (
  workspace_id  uuid             NOT NULL,
  bucket_start  timestamptz      NOT NULL,
  subject_id    uuid             NOT NULL,
  subject_type  text             NOT NULL,
  cluster_id    uuid,
  machine_type  text             NOT NULL DEFAULT '',
  location      text             NOT NULL DEFAULT '',
  seconds       double precision NOT NULL,
  energy_kwh    double precision NOT NULL,
  emissions_g   double precision NOT NULL,
  cost          double precision NOT NULL,
  PRIMARY KEY (workspace_id, bucket_start, subject_id, machine_type, location)
);
CREATE INDEX usage_rollup_time ON usage_rollup (bucket_start);

-- A statement's lines, per UTC month: every usage event of the month lands in exactly one line
-- (a stretch never crosses a month), with the count and first/last position of the events behind it.
CREATE TABLE usage_statement_lines (
  workspace_id        uuid             NOT NULL,
  month               date             NOT NULL,
  subject_id          uuid             NOT NULL,
  subject_type        text             NOT NULL,
  name                text,
  machine_type        text             NOT NULL DEFAULT '',
  unit_price_per_hour double precision NOT NULL,
  currency            text             NOT NULL,
  seconds             double precision NOT NULL,
  energy_kwh          double precision NOT NULL,
  emissions_g         double precision NOT NULL,
  cost                double precision NOT NULL,
  event_count         integer          NOT NULL,
  first_position      bigint           NOT NULL,
  last_position       bigint           NOT NULL,
  PRIMARY KEY (workspace_id, month, subject_id, machine_type, unit_price_per_hour, currency)
);

-- The usage events behind each month's statement, as the events API shows them.
CREATE TABLE usage_statement_events (
  workspace_id  uuid        NOT NULL,
  month         date        NOT NULL,
  position      bigint      NOT NULL,
  event_id      uuid        NOT NULL,
  type          text        NOT NULL,
  stream_id     text        NOT NULL,
  revision      bigint      NOT NULL,
  data          jsonb       NOT NULL,
  metadata      jsonb       NOT NULL,
  recorded_at   timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, month, position)
);

-- Each workspace's UTC month so far: the free tier is used up by the month's first seconds, in log order.
CREATE TABLE usage_months (
  workspace_id  uuid             NOT NULL,
  month         date             NOT NULL,
  seconds       double precision NOT NULL,
  energy_kwh    double precision NOT NULL,
  emissions_g   double precision NOT NULL,
  cost          double precision NOT NULL,
  free_seconds  double precision NOT NULL,
  free_cost     double precision NOT NULL,
  updated_at    timestamptz      NOT NULL,
  PRIMARY KEY (workspace_id, month)
);

-- Issued statements, frozen as their StatementIssued event says.
CREATE TABLE billing_statements (
  id                         uuid             PRIMARY KEY,
  workspace_id               uuid             NOT NULL,
  month                      date             NOT NULL,
  currency                   text             NOT NULL,
  amount                     double precision NOT NULL,
  free_tier_seconds_applied  double precision NOT NULL,
  lines                      jsonb            NOT NULL,
  through_position           bigint           NOT NULL,
  digest                     text             NOT NULL,
  issued_at                  timestamptz      NOT NULL,
  UNIQUE (workspace_id, month)
);
