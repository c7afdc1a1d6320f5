-- Up Migration
-- Cluster tokens are credentials: the read model no longer holds them, only whether one is set.
ALTER TABLE clusters ADD COLUMN token_set boolean NOT NULL DEFAULT false;
UPDATE clusters SET token_set = token IS NOT NULL;
ALTER TABLE clusters DROP COLUMN token;
