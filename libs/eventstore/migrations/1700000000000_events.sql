-- Up Migration
-- The event log. `position` is (transaction id << 20) + index within the transaction: readers
-- only read below the oldest running transaction's id, so no commit can land behind them.
CREATE TABLE IF NOT EXISTS events (
  position    bigint      PRIMARY KEY,
  stream_id   text        NOT NULL,
  revision    bigint      NOT NULL,
  event_id    uuid        NOT NULL,
  type        text        NOT NULL,
  data        jsonb       NOT NULL,
  metadata    jsonb       NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision),
  CONSTRAINT events_event_id_key UNIQUE (event_id)
);

-- Down Migration
DROP TABLE IF EXISTS events;
