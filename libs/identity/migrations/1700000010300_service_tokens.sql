-- Up Migration
-- Workspace-owned (service) tokens: no user, a workspace, scopes. They outlive the member who
-- made them (created_by records who).
ALTER TABLE auth_tokens ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE auth_tokens DROP CONSTRAINT auth_tokens_kind_check;
ALTER TABLE auth_tokens ADD CONSTRAINT auth_tokens_kind_check CHECK (kind IN ('session', 'api', 'service'));
ALTER TABLE auth_tokens ADD COLUMN scopes text[];
ALTER TABLE auth_tokens ADD COLUMN created_by uuid;
ALTER TABLE auth_tokens ADD CONSTRAINT auth_tokens_service_shape CHECK (
  (kind = 'service' AND user_id IS NULL AND workspace_id IS NOT NULL AND scopes IS NOT NULL) OR (kind <> 'service' AND user_id IS NOT NULL)
);
CREATE INDEX auth_tokens_service ON auth_tokens (workspace_id) WHERE kind = 'service' AND revoked_at IS NULL;

-- Down Migration
DROP INDEX auth_tokens_service;
ALTER TABLE auth_tokens DROP CONSTRAINT auth_tokens_service_shape;
DELETE FROM auth_tokens WHERE kind = 'service';
ALTER TABLE auth_tokens DROP COLUMN created_by;
ALTER TABLE auth_tokens DROP COLUMN scopes;
ALTER TABLE auth_tokens DROP CONSTRAINT auth_tokens_kind_check;
ALTER TABLE auth_tokens ADD CONSTRAINT auth_tokens_kind_check CHECK (kind IN ('session', 'api'));
ALTER TABLE auth_tokens ALTER COLUMN user_id SET NOT NULL;
