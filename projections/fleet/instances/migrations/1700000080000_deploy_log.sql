-- Up Migration
-- The workspace-wide deploy list (GET /deploys): who asked, when it ran, its cluster, and its log.
ALTER TABLE instance_deploys ADD COLUMN cluster_id uuid;
ALTER TABLE instance_deploys ADD COLUMN requested_by jsonb;
ALTER TABLE instance_deploys ADD COLUMN started_at timestamptz;
ALTER TABLE instance_deploys ADD COLUMN finished_at timestamptz;
ALTER TABLE instance_deploys ADD COLUMN cancel_reason text;
UPDATE instance_deploys d SET cluster_id = i.cluster_id FROM instances i WHERE i.id = d.instance_id;
UPDATE instance_deploys SET finished_at = updated_at WHERE status IN ('succeeded', 'failed');

-- Newest first, led by the workspace, as the list reads them (each filter narrows one of these).
CREATE INDEX instance_deploys_workspace ON instance_deploys (workspace_id, created_at DESC, id);
CREATE INDEX instance_deploys_workspace_cluster ON instance_deploys (workspace_id, cluster_id, created_at DESC, id);

-- One line per step of a deploy, in log order (`position`: the event's).
CREATE TABLE instance_deploy_log (
  deploy_id uuid        NOT NULL,
  position  bigint      NOT NULL,
  time      timestamptz NOT NULL,
  line      text        NOT NULL,
  PRIMARY KEY (deploy_id, position)
);
