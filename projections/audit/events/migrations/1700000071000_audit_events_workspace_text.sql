-- Up Migration
-- A database that created audit_events with workspace_id as uuid: the projection now writes any
-- envelope's workspace as text (see 1700000070000). A no-op where the column is text already.
ALTER TABLE audit_events ALTER COLUMN workspace_id TYPE text;
