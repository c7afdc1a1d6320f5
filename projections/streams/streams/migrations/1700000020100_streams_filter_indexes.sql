-- Up Migration
-- Every filter of the streams, logs and groups lists has an index that leads with the workspace,
-- then the filter, then the list's sort key, so a page is read in order and stops after
-- page_size + 1 rows however many the workspace holds (see DECISIONS.md, "Lists page by key").
DROP INDEX streams_workspace_name;
CREATE INDEX streams_workspace_name ON streams (workspace_id, name, create_time, id) WHERE deleted_at IS NULL;
CREATE INDEX streams_workspace_reference ON streams (workspace_id, reference, create_time, id) WHERE deleted_at IS NULL;
CREATE INDEX streams_workspace_status ON streams (workspace_id, status, create_time, id) WHERE deleted_at IS NULL;
CREATE INDEX stream_logs_workspace_status ON stream_logs (workspace_id, status, log_time, stream_id, version);
CREATE INDEX stream_groups_workspace_name ON stream_groups (workspace_id, name) WHERE deleted_at IS NULL;
