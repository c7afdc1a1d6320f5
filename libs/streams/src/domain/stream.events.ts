import { defineEvents, EventOf, JsonObject, payload, streamCategory } from '@streamplane/core/domain';

/** The streams of the stream aggregate: `stream-<id>`. */
export const streamStreams = streamCategory('stream');

export interface Autorestart extends JsonObject {
  /** 1: a failed or lost stream is queued again (after `delay` seconds) until `attempt_count` is spent. */
  restart: 0 | 1;
  attempt_count: number;
  delay: number;
}

/** Where a stream's camera is (Luna-Streams' `location`); every field may be null. */
export interface StreamLocation extends JsonObject {
  city: string | null;
  area: string | null;
  district: string | null;
  street: string | null;
  house_number: string | null;
  geo_position: { longitude: number; latitude: number } | null;
}

/** Everything a client sets on create and replaces with PUT. */
export interface StreamSpec extends JsonObject {
  name: string;
  description: string;
  data: JsonObject;
  event_handler: JsonObject;
  policies: JsonObject;
  autorestart: Autorestart;
  location: StreamLocation | null;
}

/** Version 1 of StreamCreated and StreamReplaced came before locations: they had none. */
const withoutLocation = (data: JsonObject): JsonObject => ({ ...data, location: null });

/** The queue job an event takes off the queue or off its handler: the keeper removes it from BullMQ. */
export interface DroppedJob extends JsonObject {
  ticket: number;
  lease_token: string | null;
}

type At = { at: string };
type Drops = { dropped_job?: DroppedJob };
/**
 * A create or replace that leaves the stream `pending` joins the queue in the same event, so one
 * client write is one event and one version. Older logs have no ticket here and a StreamQueued after.
 */
type Joins = { ticket?: number };

export const streamEvents = defineEvents(streamStreams, {
  StreamCreated: {
    description: 'A stream was created, paused, or pending (then with the ticket that names its queue job); version 2 added its location',
    version: 2,
    upcasters: { 1: withoutLocation },
    payload: payload<At & Joins & StreamSpec & { stream_id: string; workspace_id: string; status: 'pending' | 'pause'; group_id: string | null }>(),
  },
  StreamQueued: {
    description: 'A stream joined the processing queue (its ticket names the queue job); older logs only, creates and replaces now carry the ticket',
    payload: payload<At & { ticket: number }>(),
  },
  StreamUpdated: { description: "A stream's description changed", payload: payload<At & { description: string }>() },
  StreamReplaced: {
    description: 'A stream was replaced whole (PUT); pending, it carries the ticket of its new queue job; version 2 added its location',
    version: 2,
    upcasters: { 1: withoutLocation },
    payload: payload<At & Drops & Joins & StreamSpec & { status: 'pending' | 'pause' }>(),
  },
  StreamPaused: { description: 'A stream was paused and left the queue', payload: payload<At & Drops>() },
  StreamResumed: { description: 'A stream was set pending again and rejoined the queue', payload: payload<At & { ticket: number }>() },
  StreamCancelled: { description: 'A stream was cancelled', payload: payload<At & Drops>() },
  StreamTaken: {
    description: 'A handler took a stream off the queue, with a lease',
    payload: payload<At & { ticket: number; lease_token: string; lease_seconds: number; lease_expires_at: string }>(),
  },
  StreamHeartbeat: {
    description: "A handler's heartbeat renewed the lease (recorded at most three times per lease)",
    payload: payload<At & { lease_expires_at: string }>(),
  },
  StreamCompleted: { description: 'A handler finished a stream', payload: payload<At & Drops & { video_info: JsonObject | null }>() },
  StreamFailed: { description: 'A handler reported a failure', payload: payload<At & Drops & { error: string; video_info: JsonObject | null }>() },
  StreamHandlerLost: { description: "A taken stream's lease ran out without feedback", payload: payload<At & Drops & { lease_expired_at: string }>() },
  StreamRestartRequested: {
    description: 'A stream was queued again, by its handler or by its autorestart policy (maybe delayed)',
    payload: payload<At & Drops & { ticket: number; attempt: number; delay_seconds: number; by: 'handler' | 'autorestart' }>(),
  },
  StreamDeleted: { description: 'A stream was deleted', payload: payload<At & Drops>() },
});

export type StreamEvent = EventOf<typeof streamEvents>;
