-- Up Migration
-- Luna-Streams' location of a stream's camera (null: none given, or a stream from before locations).
ALTER TABLE streams ADD COLUMN location jsonb;
