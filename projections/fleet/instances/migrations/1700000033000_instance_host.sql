-- Up Migration
ALTER TABLE instances ADD COLUMN host text;
ALTER TABLE instances ADD COLUMN host_lost boolean NOT NULL DEFAULT false;
CREATE INDEX instances_running_host ON instances (host) WHERE status = 'running';
