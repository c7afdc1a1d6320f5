-- Up Migration
-- A workspace's running meters (what its usage reads count up to now), without walking every running meter.
CREATE INDEX usage_meters_running_workspace ON usage_meters (workspace_id) WHERE run_started_at IS NOT NULL;
