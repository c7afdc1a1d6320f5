-- Up Migration
-- Deploy freezes that hold (a lifted one is deleted): few per workspace, read on every deploy.
CREATE TABLE deploy_blocks (
  id           uuid        PRIMARY KEY,
  workspace_id uuid        NOT NULL,
  cluster_id   uuid,
  reason       text        NOT NULL,
  created_by   jsonb       NOT NULL,
  created_at   timestamptz NOT NULL,
  version      integer     NOT NULL
);
CREATE INDEX deploy_blocks_workspace ON deploy_blocks (workspace_id, created_at, id);
