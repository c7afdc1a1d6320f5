-- Up Migration
-- The job that wrote an event (metadata.job_id), so a causation walk puts the job between the
-- event that asked for it and the events it wrote. Null for requests and for events written
-- before jobs were recorded.
ALTER TABLE audit_events ADD COLUMN IF NOT EXISTS job_id text;
