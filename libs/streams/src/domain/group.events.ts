import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';

/** The streams of the group aggregate: `group-<id>`. */
export const groupStreams = streamCategory('group');

type At = { at: string };

export const groupEvents = defineEvents(groupStreams, {
  GroupCreated: {
    description: 'A stream group was created',
    payload: payload<At & { group_id: string; workspace_id: string; group_name: string; description: string }>(),
  },
  GroupUpdated: { description: "A group's description changed", payload: payload<At & { description: string }>() },
  GroupDeleted: { description: 'A group was deleted; its name is free again', payload: payload<At & { group_name: string }>() },
  StreamsAttachedToGroup: { description: 'Streams were attached to a group', payload: payload<At & { stream_ids: string[] }>() },
  StreamsDetachedFromGroup: { description: 'Streams were detached from a group', payload: payload<At & { stream_ids: string[] }>() },
});

export type GroupEvent = EventOf<typeof groupEvents>;
