import { Decider, DomainEvent, ForbiddenError } from '@streamplane/core';

export type SlotEvent = DomainEvent<'InstanceSlotTaken', { instance_id: string; at: string }> | DomainEvent<'InstanceSlotReleased', { instance_id: string; at: string }>;

export type SlotCommand = { type: 'Take'; instanceId: string; limit: number; now: Date } | { type: 'Release'; instanceId: string; now: Date };

export interface SlotState {
  holders: ReadonlySet<string>;
}

/** One stream per workspace: every instance holds a slot from request to archive. */
export const instanceSlotsStream = (workspaceId: string) => `instance_slots-${workspaceId}`;

/**
 * The workspace's instance limit, enforced without a race: concurrent requests append to the
 * same stream at the revision they read, so when only one slot is left exactly one of them gets
 * it; the others decide again on the new state and are refused (403).
 */
export const instanceSlotsDecider: Decider<SlotCommand, SlotEvent, SlotState> = {
  initialState: () => ({ holders: new Set() }),
  evolve: (state, event) => {
    const holders = new Set(state.holders);
    if (event.type === 'InstanceSlotTaken') holders.add(event.data.instance_id);
    else holders.delete(event.data.instance_id);
    return { holders };
  },
  decide: (command, state) => {
    const at = command.now.toISOString();
    if (command.type === 'Release') return state.holders.has(command.instanceId) ? [{ type: 'InstanceSlotReleased', data: { instance_id: command.instanceId, at } }] : [];
    if (state.holders.has(command.instanceId)) return [];
    if (state.holders.size >= command.limit) {
      throw new ForbiddenError(`the workspace's instance limit of ${command.limit} is reached; delete an instance or ask for a higher limit`);
    }
    return [{ type: 'InstanceSlotTaken', data: { instance_id: command.instanceId, at } }];
  },
};
