import { EventData, ExpectedRevision } from '../event-store';

export interface AppendRequest {
  stream: string;
  events: EventData[];
  expected: ExpectedRevision;
}

export interface AppendedRow {
  event_id: string;
  stream_id: string;
  revision: string;
  position: string;
}

/**
 * One INSERT for several appends (group commit): each request's expectation is checked against
 * its stream's head inside the statement, so a request that does not hold writes nothing while
 * the others go through. Requests must name distinct streams. Positions are
 * (transaction id << 20) + the event's place in the whole statement.
 */
export const APPEND_SQL = `
WITH request AS (
  SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[]) AS r(request, stream_id, kind, expected)
), head AS (
  SELECT r.request, r.stream_id,
         coalesce((SELECT max(e.revision) FROM events e WHERE e.stream_id = r.stream_id), -1) AS revision, r.kind, r.expected
    FROM request r
), allowed AS (
  SELECT * FROM head
   WHERE kind = 'any'
      OR (kind = 'no_stream' AND revision = -1)
      OR (kind = 'stream_exists' AND revision >= 0)
      OR (kind = 'exact' AND revision = expected)
), incoming AS (
  SELECT * FROM unnest($5::int[], $6::uuid[], $7::text[], $8::jsonb[], $9::jsonb[]) WITH ORDINALITY
           AS e(request, event_id, type, data, metadata, n)
)
INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata)
SELECT (pg_current_xact_id()::text::bigint << 20) + i.n - 1, a.stream_id,
       a.revision + row_number() OVER (PARTITION BY i.request ORDER BY i.n), i.event_id, i.type, i.data, i.metadata
  FROM incoming i JOIN allowed a ON a.request = i.request
RETURNING event_id, stream_id, revision, position`;

/** The same for one request: leaner, and most appends come alone. */
export function singleAppendSql(expected: ExpectedRevision): string {
  const check =
    expected === 'any'
      ? 'true'
      : expected === 'no_stream'
        ? 'head.revision = -1'
        : expected === 'stream_exists'
          ? 'head.revision >= 0'
          : 'head.revision = $6::bigint';
  return `
WITH head AS (SELECT coalesce(max(revision), -1) AS revision FROM events WHERE stream_id = $1)
INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata)
SELECT (pg_current_xact_id()::text::bigint << 20) + e.ord - 1, $1, head.revision + e.ord, e.event_id, e.type, e.data, e.metadata
  FROM head, unnest($2::uuid[], $3::text[], $4::jsonb[], $5::jsonb[]) WITH ORDINALITY AS e(event_id, type, data, metadata, ord)
 WHERE ${check}
RETURNING event_id, stream_id, revision, position`;
}

export function singleAppendParameters({ stream, events, expected }: AppendRequest): unknown[] {
  return [
    stream,
    events.map((e) => e.eventId),
    events.map((e) => e.type),
    events.map((e) => JSON.stringify(e.data)),
    events.map((e) => JSON.stringify(e.metadata)),
    ...(typeof expected === 'bigint' ? [expected.toString()] : []),
  ];
}

export function appendParameters(requests: AppendRequest[]): unknown[] {
  const events = requests.flatMap((r, request) => r.events.map((e) => ({ request, e })));
  return [
    requests.map((_, i) => i),
    requests.map((r) => r.stream),
    requests.map((r) => (typeof r.expected === 'bigint' ? 'exact' : r.expected)),
    requests.map((r) => (typeof r.expected === 'bigint' ? r.expected.toString() : null)),
    events.map((x) => x.request),
    events.map((x) => x.e.eventId),
    events.map((x) => x.e.type),
    events.map((x) => JSON.stringify(x.e.data)),
    events.map((x) => JSON.stringify(x.e.metadata)),
  ];
}
