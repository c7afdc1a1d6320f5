-- Up Migration
CREATE TABLE workspaces (
  id             uuid        PRIMARY KEY,
  name           text        NOT NULL,
  description    text        NOT NULL,
  owner_id       uuid        NOT NULL,
  instance_limit integer     NOT NULL,
  created_at     timestamptz NOT NULL,
  deleted_at     timestamptz,
  version        integer     NOT NULL
);

CREATE TABLE workspace_members (
  workspace_id uuid        NOT NULL,
  user_id      uuid        NOT NULL,
  role         text        NOT NULL,
  joined_at    timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX workspace_members_user ON workspace_members (user_id);

CREATE TABLE workspace_invitations (
  id           uuid        PRIMARY KEY,
  workspace_id uuid        NOT NULL,
  email_hash   text        NOT NULL,
  sealed_email text        NOT NULL,
  role         text        NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX workspace_invitations_email ON workspace_invitations (email_hash);

CREATE TABLE limit_requests (
  id            uuid        PRIMARY KEY,
  workspace_id  uuid        NOT NULL,
  desired_limit integer     NOT NULL,
  reason        text        NOT NULL,
  status        text        NOT NULL,
  created_at    timestamptz NOT NULL,
  decided_at    timestamptz
);
