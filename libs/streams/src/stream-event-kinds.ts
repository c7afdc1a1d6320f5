import { LegacyEventKind } from '@streamplane/core';

export const STREAM_EVENT_KINDS: LegacyEventKind[] = [
  { type: 'StreamCreated', version: 1, description: 'A stream was created, paused, or pending (then with the ticket that names its queue job)' },
  { type: 'StreamQueued', version: 1, description: 'A stream joined the processing queue (its ticket names the queue job); older logs only, creates and replaces now carry the ticket' },
  { type: 'StreamUpdated', version: 1, description: "A stream's description changed" },
  { type: 'StreamReplaced', version: 1, description: 'A stream was replaced whole (PUT); pending, it carries the ticket of its new queue job' },
  { type: 'StreamPaused', version: 1, description: 'A stream was paused and left the queue' },
  { type: 'StreamResumed', version: 1, description: 'A stream was set pending again and rejoined the queue' },
  { type: 'StreamCancelled', version: 1, description: 'A stream was cancelled' },
  { type: 'StreamTaken', version: 1, description: 'A handler took a stream off the queue, with a lease' },
  { type: 'StreamHeartbeat', version: 1, description: "A handler's heartbeat renewed the lease (recorded at most three times per lease)" },
  { type: 'StreamCompleted', version: 1, description: 'A handler finished a stream' },
  { type: 'StreamFailed', version: 1, description: 'A handler reported a failure' },
  { type: 'StreamHandlerLost', version: 1, description: "A taken stream's lease ran out without feedback" },
  { type: 'StreamRestartRequested', version: 1, description: 'A stream was queued again, by its handler or by its autorestart policy (maybe delayed)' },
  { type: 'StreamDeleted', version: 1, description: 'A stream was deleted' },
  { type: 'GroupCreated', version: 1, description: 'A stream group was created' },
  { type: 'GroupUpdated', version: 1, description: "A group's description changed" },
  { type: 'GroupDeleted', version: 1, description: 'A group was deleted; its name is free again' },
  { type: 'StreamsAttachedToGroup', version: 1, description: 'Streams were attached to a group' },
  { type: 'StreamsDetachedFromGroup', version: 1, description: 'Streams were detached from a group' },
];
