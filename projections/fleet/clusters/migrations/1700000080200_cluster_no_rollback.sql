-- Up Migration
-- Versions no rollback may go back to, each with its reason: {"1.1.0": "corrupts recordings"}.
ALTER TABLE clusters ADD COLUMN no_rollback jsonb NOT NULL DEFAULT '{}';
