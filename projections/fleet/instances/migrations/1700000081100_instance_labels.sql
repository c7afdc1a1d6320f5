-- Up Migration
-- What people name and find an instance by, and an index per list filter led by the workspace and
-- followed by the list's sort key (see DECISIONS.md, "Lists page by key"). Tags are an array, so
-- theirs is a GIN index; a workspace holds at most its instance limit of them, so the rows one tag
-- matches are few enough to sort.
ALTER TABLE instances ADD COLUMN description text NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
CREATE INDEX instances_workspace_name ON instances (workspace_id, name, created_at, id);
CREATE INDEX instances_workspace_location ON instances (workspace_id, location, created_at, id);
CREATE INDEX instances_workspace_machine_type ON instances (workspace_id, machine_type, created_at, id);
CREATE INDEX instances_tags ON instances USING gin (tags);
