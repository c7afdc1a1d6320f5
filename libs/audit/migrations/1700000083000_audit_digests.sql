-- Up Migration
-- Signed digests over consecutive ranges of the log. Not a projection: what they hold is what the
-- log was when it was sealed, so a rebuild from the (possibly altered) log must never redo them.

-- The Ed25519 key that signs digests, only when AUDIT_SIGNING_KEY is unset (a warning says so):
-- then anyone who can write this table can also forge digests, which is why production sets it.
CREATE TABLE audit_signing_key (
  id          boolean     PRIMARY KEY DEFAULT true CHECK (id),
  private_key text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per sealed range (previous digest's to_position, to_position], in chain order. A unique
-- previous_hash means two sealers racing cannot fork the chain: the second insert fails.
CREATE TABLE audit_digests (
  seq            bigint      PRIMARY KEY,
  id             uuid        NOT NULL UNIQUE,
  from_position  bigint      NOT NULL,
  to_position    bigint      NOT NULL,
  events         integer     NOT NULL,
  first_recorded_at timestamptz NOT NULL,
  last_recorded_at  timestamptz NOT NULL,
  hash           text        NOT NULL,
  previous_hash  text        NOT NULL UNIQUE,
  key_id         text        NOT NULL,
  signature      text        NOT NULL,
  at             timestamptz NOT NULL
);
CREATE INDEX audit_digests_recorded ON audit_digests (last_recorded_at);

-- Each sealed event's own hash, so a verification names the event that changed rather than only
-- the range. The digest's hash covers these rows, so altering one of them shows too.
CREATE TABLE audit_digest_entries (
  digest_seq    bigint  NOT NULL REFERENCES audit_digests (seq),
  ordinal       integer NOT NULL,
  position      bigint  NOT NULL,
  event_id      uuid    NOT NULL,
  workspace_id  text,
  leaf          bytea   NOT NULL,
  PRIMARY KEY (digest_seq, ordinal)
);
CREATE INDEX audit_digest_entries_workspace ON audit_digest_entries (workspace_id, digest_seq);
