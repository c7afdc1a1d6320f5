-- Up Migration
CREATE SCHEMA IF NOT EXISTS read;

-- One row per projection or reactor: how far it has read, moved in the same transaction as its work.
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name            text        PRIMARY KEY,
  kind            text        NOT NULL,
  position        bigint      NOT NULL DEFAULT 0,
  state           text        NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'parked', 'rebuilding')),
  error           text,
  failed_position bigint,
  failed_event_id uuid,
  last_event_at   timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Idempotency-Key: the first response to a key, replayed to a retry of the same request.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  principal     text        NOT NULL,
  key           text        NOT NULL,
  fingerprint   text        NOT NULL,
  status        text        NOT NULL CHECK (status IN ('in_progress', 'completed')),
  response_code integer,
  response_headers jsonb,
  response_body jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal, key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);

-- Down Migration
DROP TABLE IF EXISTS idempotency_keys;
DROP TABLE IF EXISTS projection_checkpoints;
