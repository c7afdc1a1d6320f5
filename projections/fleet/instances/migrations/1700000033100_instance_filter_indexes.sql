-- Up Migration
-- The instances list's filters, each led by the workspace and followed by the sort key (see
-- DECISIONS.md, "Lists page by key").
CREATE INDEX instances_workspace_cluster ON instances (workspace_id, cluster_id, created_at, id);
CREATE INDEX instances_workspace_status ON instances (workspace_id, status, created_at, id);
