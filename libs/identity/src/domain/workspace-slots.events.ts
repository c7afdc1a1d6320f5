import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';

/** `workspace_slots-<user id>`: one stream per account; every workspace it owns holds a slot. */
export const workspaceSlotStreams = streamCategory('workspace_slots');

/** The slots of an account's workspace cap (MAX_WORKSPACES_PER_USER). */
export const workspaceSlotEvents = defineEvents(workspaceSlotStreams, {
  WorkspaceSlotTaken: { description: 'A workspace the account is creating, or is being given, took one of its slots', payload: payload<{ workspace_id: string; at: string }>() },
  WorkspaceSlotReleased: { description: 'A workspace the account no longer owns (deleted, or handed on) gave its slot back', payload: payload<{ workspace_id: string; at: string }>() },
  WorkspaceSlotReclaimed: {
    description: 'A slot whose workspace was never written, or is no longer the account\'s, was given back (after the grace period)',
    payload: payload<{ workspace_id: string; at: string; taken_at: string }>(),
  },
});

export type WorkspaceSlotEvent = EventOf<typeof workspaceSlotEvents>;
