-- Up Migration
ALTER TABLE instances ADD COLUMN env jsonb NOT NULL DEFAULT '{}';

CREATE TABLE instance_deploys (
  id            uuid        PRIMARY KEY,
  instance_id   uuid        NOT NULL,
  workspace_id  uuid        NOT NULL,
  image_version text        NOT NULL,
  from_version  text        NOT NULL,
  kind          text        NOT NULL,
  status        text        NOT NULL,
  error         text,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX instance_deploys_instance ON instance_deploys (instance_id, created_at DESC);
