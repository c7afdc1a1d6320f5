-- Up Migration
-- Mails sent by a driver that keeps no record of its own (SMTP), by key (the event that asked
-- for the mail): a queue rebuild after Redis lost its data must tell sent mails from waiting ones
-- without Redis. The outbox driver's mail_outbox.mail_key already says it.
CREATE TABLE sent_mails (
  mail_key text PRIMARY KEY,
  sent_at timestamptz NOT NULL DEFAULT now()
);
