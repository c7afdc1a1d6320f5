-- Up Migration
-- Secrets and keys live here, never in the log.

-- Per-user key for personal data in events; deleting it makes that data unreadable (crypto-shredding).
CREATE TABLE user_keys (
  user_id uuid  PRIMARY KEY,
  key     bytea NOT NULL
);

CREATE TABLE credentials (
  user_id       uuid        PRIMARY KEY,
  password_hash text        NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Session and API tokens, by the SHA-256 of the token: the token itself is shown once.
CREATE TABLE auth_tokens (
  id           uuid        PRIMARY KEY,
  user_id      uuid        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('session', 'api')),
  name         text,
  workspace_id uuid,
  token_hash   bytea       NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id) WHERE revoked_at IS NULL;

-- Email verification and password reset tokens.
CREATE TABLE one_time_tokens (
  token_hash bytea       PRIMARY KEY,
  user_id    uuid        NOT NULL,
  purpose    text        NOT NULL CHECK (purpose IN ('verify', 'reset')),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);

-- The outbox mailer's mails (the default driver; GET /v1/admin/mail lists them).
CREATE TABLE mail_outbox (
  id         bigserial   PRIMARY KEY,
  to_address text        NOT NULL,
  subject    text        NOT NULL,
  body       text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_outbox_to ON mail_outbox (lower(to_address), id);
