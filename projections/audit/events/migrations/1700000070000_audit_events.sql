-- Up Migration
-- The envelope of every event, for the events API's filters. The data stays in the log: a page is
-- read from the store by (stream_id, revision) and upcast then, so a new upcaster needs no rebuild.
CREATE TABLE audit_events (
  -- Not unique: EventStoreDB may give the events of one append one commit position.
  event_id        uuid        PRIMARY KEY,
  position        bigint      NOT NULL,
  type            text        NOT NULL,
  -- The schema version the event was stored at (what the upcasters start from).
  stored_version  integer     NOT NULL,
  stream_id       text        NOT NULL,
  revision        bigint      NOT NULL,
  -- Null for platform events (accounts, reservations of emails): only the admin log shows them.
  -- Text, not uuid: this table takes every envelope as written, and a projection of everything
  -- must not park on one it cannot cast (the e2e fixtures' workspace is "test").
  workspace_id    text,
  target_type     text        NOT NULL,
  target_id       text        NOT NULL,
  actor_type      text        NOT NULL,
  actor_id        text        NOT NULL,
  correlation_id  text,
  causation_id    text,
  request_id      text,
  occurred_at     timestamptz NOT NULL
);
-- Every filter is answered in position order from one index per filter, within a workspace.
CREATE INDEX audit_events_position ON audit_events (position);
CREATE INDEX audit_events_workspace ON audit_events (workspace_id, position);
CREATE INDEX audit_events_type ON audit_events (workspace_id, type, position);
CREATE INDEX audit_events_target ON audit_events (workspace_id, target_id, position);
CREATE INDEX audit_events_actor ON audit_events (workspace_id, actor_id, position);
CREATE INDEX audit_events_occurred ON audit_events (workspace_id, occurred_at);
-- Across workspaces too: causation walks follow these ids wherever they lead.
CREATE INDEX audit_events_correlation ON audit_events (correlation_id, position);
CREATE INDEX audit_events_causation ON audit_events (causation_id);
CREATE INDEX audit_events_stream ON audit_events (stream_id, revision);
