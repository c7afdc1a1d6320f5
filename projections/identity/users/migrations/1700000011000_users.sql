-- Up Migration
CREATE TABLE users (
  id                uuid        PRIMARY KEY,
  email             text,
  email_lower       text        UNIQUE,
  verified          boolean     NOT NULL DEFAULT false,
  is_platform_admin boolean     NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL,
  deleted_at        timestamptz,
  version           integer     NOT NULL
);
