-- Up Migration
-- The platform admins' list of units runs across workspaces, oldest first.
CREATE INDEX usage_meters_started ON usage_meters (first_started_at, subject_id);
