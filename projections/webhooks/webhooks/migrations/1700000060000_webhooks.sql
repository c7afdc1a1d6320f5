-- Up Migration
CREATE TABLE webhooks (
  id                   uuid        PRIMARY KEY,
  workspace_id         uuid        NOT NULL,
  name                 text        NOT NULL,
  url                  text        NOT NULL,
  authorization_header text,
  event_filter         jsonb       NOT NULL,
  is_enabled           boolean     NOT NULL,
  disabled_reason      text,
  -- Log position from which it receives events: its creation, or its last enabling.
  enabled_position     bigint      NOT NULL,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  version              integer     NOT NULL,
  deleted_at           timestamptz
);
CREATE INDEX webhooks_workspace ON webhooks (workspace_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX webhooks_enabled ON webhooks (workspace_id) WHERE is_enabled AND deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
  id              uuid        PRIMARY KEY,
  webhook_id      uuid        NOT NULL,
  workspace_id    uuid        NOT NULL,
  event_id        text        NOT NULL,
  event_type      text        NOT NULL,
  event_position  bigint      NOT NULL,
  status          text        NOT NULL,
  attempts        jsonb       NOT NULL DEFAULT '[]',
  attempt_count   integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, event_position DESC, id);
