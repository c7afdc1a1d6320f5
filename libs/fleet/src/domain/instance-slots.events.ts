import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';

/** `instance_slots-<workspace id>`: one stream per workspace; every instance holds a slot from request to archive. */
export const instanceSlotStreams = streamCategory('instance_slots');

/** The slots of a workspace's instance limit. */
export const instanceSlotEvents = defineEvents(instanceSlotStreams, {
  InstanceSlotTaken: { description: "An instance took one of its workspace's slots", payload: payload<{ instance_id: string; at: string; routing_key?: string | null }>() },
  InstanceSlotReleased: { description: 'An archived instance gave its slot back', payload: payload<{ instance_id: string; at: string }>() },
  InstanceSlotReclaimed: {
    description: 'A slot whose request died before writing its instance was given back (after the grace period)',
    payload: payload<{ instance_id: string; at: string; taken_at: string }>(),
  },
});

export type SlotEvent = EventOf<typeof instanceSlotEvents>;
