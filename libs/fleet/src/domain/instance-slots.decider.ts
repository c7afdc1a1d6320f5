import { Aggregate, Decider, ForbiddenError, reclaimableSlots, staleSlotHolders } from '@streamplane/core/domain';
import { instanceSlotStreams, SlotEvent } from './instance-slots.events';

export type SlotCommand =
  | {
      type: 'Take';
      instanceId: string;
      limit: number;
      /** The key the request reserves next, so a reclaim knows which reservation to give back too. */
      routingKey: string | null;
      /** Holders whose instance stream is closed as abandoned: a lookup the handler did, handed in as data. */
      abandoned: readonly string[];
      graceMs: number;
      now: Date;
    }
  | { type: 'Release'; instanceId: string; now: Date };

export interface SlotHolder {
  takenAt: Date;
  routingKey: string | null;
}

export interface SlotState {
  holders: ReadonlyMap<string, SlotHolder>;
}

/** Holders old enough that, if their instance was never written, the request that took them died. */
export function staleHolders(state: SlotState, now: Date, graceMs: number): string[] {
  return staleSlotHolders(state.holders, takenAt, now, graceMs);
}

const takenAt = (holder: SlotHolder) => holder.takenAt;

/**
 * The workspace's instance limit, enforced without a race: concurrent requests append to the
 * same stream at the revision they read, so when only one slot is left exactly one of them gets
 * it; the others decide again on the new state and are refused (403).
 *
 * A request takes its slot before it writes its instance; one that dies in between would hold the
 * slot forever. So a Take also reclaims holders past the grace period whose instance stream the
 * handler has closed as abandoned (which makes their late write impossible).
 */
export const instanceSlotsDecider: Decider<SlotCommand, SlotEvent, SlotState> = {
  initialState: () => ({ holders: new Map() }),
  evolve: (state, event) => {
    const holders = new Map(state.holders);
    if (event.type === 'InstanceSlotTaken') holders.set(event.data.instance_id, { takenAt: new Date(event.data.at), routingKey: event.data.routing_key ?? null });
    else holders.delete(event.data.instance_id);
    return { holders };
  },
  decide: (command, state) => {
    const at = command.now.toISOString();
    if (command.type === 'Release') return state.holders.has(command.instanceId) ? [{ type: 'InstanceSlotReleased', data: { instance_id: command.instanceId, at } }] : [];
    if (state.holders.has(command.instanceId)) return [];
    const reclaimed: SlotEvent[] = reclaimableSlots(state.holders, takenAt, command.abandoned, command.now, command.graceMs).map((id) => ({ type: 'InstanceSlotReclaimed', data: { instance_id: id, at, taken_at: state.holders.get(id)!.takenAt.toISOString() } }));
    if (state.holders.size - reclaimed.length >= command.limit) {
      throw new ForbiddenError(`the workspace's instance limit of ${command.limit} is reached; delete an instance or ask for a higher limit`);
    }
    return [...reclaimed, { type: 'InstanceSlotTaken', data: { instance_id: command.instanceId, at, routing_key: command.routingKey } }];
  },
};

/**
 * A workspace's instance slots, by workspace id. No noun: the stream is the workspace's own, not an
 * entity a client names.
 */
export const instanceSlots: Aggregate<SlotCommand, SlotEvent, SlotState> = { category: instanceSlotStreams, decider: instanceSlotsDecider };
