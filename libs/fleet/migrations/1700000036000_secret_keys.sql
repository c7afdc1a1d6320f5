-- Up Migration
-- Keys for secret values (env vars marked secret): never in the log, so the log alone opens nothing.
-- The master key lives here only when SECRETS_MASTER_KEY is unset (a warning says so at first use):
-- then a database dump opens the secrets, but the log, its exports and replays still do not.
CREATE TABLE fleet_master_key (
  id         boolean     PRIMARY KEY DEFAULT true CHECK (id),
  key        text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- One data key per workspace, created on first use, sealed (AES-256-GCM) under the master key;
-- master_key_id names which master key, so a changed SECRETS_MASTER_KEY fails loudly, not with garbage.
CREATE TABLE fleet_data_keys (
  workspace_id  text        PRIMARY KEY,
  master_key_id text        NOT NULL,
  wrapped_key   text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
