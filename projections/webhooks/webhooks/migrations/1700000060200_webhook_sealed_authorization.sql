-- Up Migration
-- The Authorization header is sealed in the log (WebhookCreated/Updated version 2) and kept sealed here; reads open it.
-- Rows written from version 1 events hold it in clear, and are read as they are.
ALTER TABLE webhooks RENAME COLUMN authorization_header TO sealed_authorization_header;
