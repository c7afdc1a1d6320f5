-- Up Migration
-- The members list, oldest first, read in index order.
CREATE INDEX workspace_members_joined ON workspace_members (workspace_id, joined_at, user_id);
