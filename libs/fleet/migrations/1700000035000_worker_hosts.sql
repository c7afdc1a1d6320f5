-- Up Migration
-- Operational liveness of worker hosts, not domain state: a beat every health check would flood
-- the log. Times come from the database clock, so hosts with skewed clocks still agree.
CREATE TABLE fleet_worker_hosts (
  host_id  text        PRIMARY KEY,
  seen_at  timestamptz NOT NULL,
  checks   bigint      NOT NULL DEFAULT 0
);
