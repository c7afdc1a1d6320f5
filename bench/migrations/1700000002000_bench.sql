-- Up Migration
CREATE TABLE bench_counts (
  stream_id text    PRIMARY KEY,
  events    integer NOT NULL
);
