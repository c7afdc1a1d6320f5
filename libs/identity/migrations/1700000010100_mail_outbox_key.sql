-- Up Migration
-- The event a mail was sent for: a second send for the same event (a job run twice) adds nothing.
ALTER TABLE mail_outbox ADD COLUMN mail_key text UNIQUE;
