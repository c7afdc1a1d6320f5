-- Up Migration
-- Since when every attempt of the webhook has failed (null after a success or an enabling): five days of it disable the webhook.
ALTER TABLE webhooks ADD COLUMN failing_since timestamptz;
