import { JsonObject, RecordedEvent } from '../event-store';

export interface EventRow {
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  recorded_at: Date;
}

export const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';

/**
 * Everything strictly below this position is settled: no transaction still running can write
 * there. It is the oldest running transaction id shifted like a position (see the migration).
 */
export const VISIBLE_FRONTIER = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20)`;

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}
