-- Up Migration
CREATE TABLE clusters (
  id            uuid        PRIMARY KEY,
  workspace_id  uuid        NOT NULL,
  name          text        NOT NULL,
  image_version text        NOT NULL,
  token         text,
  status        text        NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  version       integer     NOT NULL,
  deleted_at    timestamptz
);
CREATE INDEX clusters_workspace ON clusters (workspace_id, created_at, id) WHERE deleted_at IS NULL;
