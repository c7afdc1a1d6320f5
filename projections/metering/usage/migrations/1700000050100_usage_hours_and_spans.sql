-- Up Migration
-- Usage per workspace and UTC hour, without the subject: reads without a time window take whole
-- hours from here and only the ragged quarter hours at either end from usage_rollup.
CREATE TABLE usage_hourly (
  workspace_id  uuid             NOT NULL,
  bucket_start  timestamptz      NOT NULL,
  subject_type  text             NOT NULL,
  cluster_id    uuid,
  machine_type  text             NOT NULL DEFAULT '',
  location      text             NOT NULL DEFAULT '',
  seconds       double precision NOT NULL,
  energy_kwh    double precision NOT NULL,
  emissions_g   double precision NOT NULL,
  cost          double precision NOT NULL,
  CONSTRAINT usage_hourly_key UNIQUE NULLS NOT DISTINCT (workspace_id, bucket_start, subject_type, cluster_id, machine_type, location)
);
CREATE INDEX usage_hourly_time ON usage_hourly (bucket_start);

-- Each subject's runs of consecutive quarter hours with usage (per machine type and location, as
-- the rollup keys them): a subject counts as a unit of a window when one of its spans meets it.
CREATE TABLE usage_spans (
  workspace_id  uuid        NOT NULL,
  subject_id    uuid        NOT NULL,
  subject_type  text        NOT NULL,
  cluster_id    uuid,
  machine_type  text        NOT NULL DEFAULT '',
  location      text        NOT NULL DEFAULT '',
  first_bucket  timestamptz NOT NULL,
  last_bucket   timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, subject_id, machine_type, location, first_bucket)
);
CREATE INDEX usage_spans_recent ON usage_spans (workspace_id, last_bucket);
CREATE INDEX usage_spans_time ON usage_spans (last_bucket);

-- What the usage already rolled up says.
INSERT INTO usage_hourly (workspace_id, bucket_start, subject_type, cluster_id, machine_type, location, seconds, energy_kwh, emissions_g, cost)
SELECT workspace_id, date_trunc('hour', bucket_start, 'UTC'), subject_type, cluster_id, machine_type, location, sum(seconds), sum(energy_kwh), sum(emissions_g), sum(cost)
FROM usage_rollup GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO usage_spans (workspace_id, subject_id, subject_type, cluster_id, machine_type, location, first_bucket, last_bucket)
SELECT workspace_id, subject_id, min(subject_type), (array_agg(cluster_id ORDER BY bucket_start))[1], machine_type, location, min(bucket_start), max(bucket_start)
FROM (
  SELECT *, bucket_start - row_number() OVER (PARTITION BY workspace_id, subject_id, machine_type, location ORDER BY bucket_start) * interval '15 minutes' AS island
  FROM usage_rollup
) r
GROUP BY workspace_id, subject_id, machine_type, location, island;
