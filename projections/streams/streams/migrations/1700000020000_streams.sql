-- Up Migration
CREATE TABLE streams (
  id                uuid        PRIMARY KEY,
  workspace_id      uuid        NOT NULL,
  name              text        NOT NULL,
  description       text        NOT NULL,
  data              jsonb       NOT NULL,
  reference         text,
  event_handler     jsonb       NOT NULL,
  policies          jsonb       NOT NULL,
  autorestart       jsonb       NOT NULL,
  current_attempt   integer     NOT NULL DEFAULT 0,
  last_attempt_time timestamptz,
  status            text        NOT NULL,
  version           integer     NOT NULL,
  create_time       timestamptz NOT NULL,
  last_error        text,
  video_info        jsonb,
  lease_expires_at  timestamptz,
  deleted_at        timestamptz
);
CREATE INDEX streams_workspace_created ON streams (workspace_id, create_time, id) WHERE deleted_at IS NULL;
CREATE INDEX streams_workspace_name ON streams (workspace_id, name) WHERE deleted_at IS NULL;
-- The lease sweeper's question: whose lease has run out?
CREATE INDEX streams_lease ON streams (lease_expires_at) WHERE status = 'in_progress' AND deleted_at IS NULL;

-- One row per status change, keyed by the event that made it (so a replayed event adds none).
CREATE TABLE stream_logs (
  stream_id    uuid        NOT NULL,
  version      integer     NOT NULL,
  workspace_id uuid        NOT NULL,
  status       text        NOT NULL,
  error        text,
  video_info   jsonb,
  log_time     timestamptz NOT NULL,
  PRIMARY KEY (stream_id, version)
);
CREATE INDEX stream_logs_workspace_time ON stream_logs (workspace_id, log_time, stream_id, version);

CREATE TABLE stream_groups (
  id           uuid        PRIMARY KEY,
  workspace_id uuid        NOT NULL,
  name         text        NOT NULL,
  description  text        NOT NULL,
  create_time  timestamptz NOT NULL,
  version      integer     NOT NULL,
  deleted_at   timestamptz
);
CREATE INDEX stream_groups_workspace ON stream_groups (workspace_id, create_time, id) WHERE deleted_at IS NULL;

CREATE TABLE stream_group_members (
  group_id     uuid NOT NULL,
  stream_id    uuid NOT NULL,
  workspace_id uuid NOT NULL,
  PRIMARY KEY (group_id, stream_id)
);
CREATE INDEX stream_group_members_stream ON stream_group_members (stream_id);
