-- Up Migration
CREATE TABLE instances (
  id            uuid        PRIMARY KEY,
  workspace_id  uuid        NOT NULL,
  cluster_id    uuid        NOT NULL,
  name          text,
  status        text        NOT NULL,
  machine_type  text        NOT NULL,
  location      text        NOT NULL,
  routing_key   text,
  endpoint      text,
  image_version text        NOT NULL,
  last_error    text,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  version       integer     NOT NULL
);
CREATE INDEX instances_workspace ON instances (workspace_id, created_at, id);
CREATE INDEX instances_cluster ON instances (cluster_id) WHERE status <> 'archived';
