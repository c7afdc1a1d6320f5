import { Aggregate, Decider, ForbiddenError, reclaimableSlots, staleSlotHolders } from '@streamplane/core/domain';
import { WorkspaceSlotEvent, workspaceSlotStreams } from './workspace-slots.events';

export type WorkspaceSlotCommand =
  | {
      type: 'Take';
      workspaceId: string;
      /** The most workspaces the account may own; null: no cap (a platform admin). */
      limit: number | null;
      /** Holders the handler found not to be the account's (never written, deleted, owned by another): a lookup handed in as data. */
      vacated: readonly string[];
      graceMs: number;
      now: Date;
    }
  | { type: 'Release'; workspaceId: string; now: Date };

export interface WorkspaceSlotState {
  /** Workspace id → when its slot was taken. */
  holders: ReadonlyMap<string, Date>;
}

/** Holders old enough that, if their workspace is not the account's, the request that took them died. */
export function staleWorkspaceSlots(state: WorkspaceSlotState, now: Date, graceMs: number): string[] {
  return staleSlotHolders(state.holders, takenAt, now, graceMs);
}

const takenAt = (at: Date) => at;

/**
 * An account's workspace cap, enforced without a race: a creation (or a transfer to the account)
 * takes a slot on the account's stream before it writes the workspace, and concurrent requests
 * append at the revision they read, so only as many as there are free slots get one; the others
 * decide again on the new state and are refused (403, a quota, like the instance limit).
 *
 * A request that died between its slot and its workspace (or a delete or transfer that died
 * before giving the slot back) would hold it forever; so at the cap a Take also reclaims holders
 * past the grace period that the handler found vacated.
 */
export const workspaceSlotsDecider: Decider<WorkspaceSlotCommand, WorkspaceSlotEvent, WorkspaceSlotState> = {
  initialState: () => ({ holders: new Map() }),
  evolve: (state, event) => {
    const holders = new Map(state.holders);
    if (event.type === 'WorkspaceSlotTaken') holders.set(event.data.workspace_id, new Date(event.data.at));
    else holders.delete(event.data.workspace_id);
    return { holders };
  },
  decide: (command, state) => {
    const at = command.now.toISOString();
    if (command.type === 'Release') return state.holders.has(command.workspaceId) ? [{ type: 'WorkspaceSlotReleased', data: { workspace_id: command.workspaceId, at } }] : [];
    if (state.holders.has(command.workspaceId)) return [];
    const reclaimed: WorkspaceSlotEvent[] = reclaimableSlots(state.holders, takenAt, command.vacated, command.now, command.graceMs).map((id) => ({ type: 'WorkspaceSlotReclaimed', data: { workspace_id: id, at, taken_at: state.holders.get(id)!.toISOString() } }));
    if (command.limit !== null && state.holders.size - reclaimed.length >= command.limit) {
      throw new ForbiddenError(`the account already owns ${command.limit} workspaces, the most it may; delete one or hand one on first`);
    }
    return [...reclaimed, { type: 'WorkspaceSlotTaken', data: { workspace_id: command.workspaceId, at } }];
  },
};

/** An account's workspace slots, by user id. No noun: the stream is the account's, not an entity a client names. */
export const workspaceSlots: Aggregate<WorkspaceSlotCommand, WorkspaceSlotEvent, WorkspaceSlotState> = { category: workspaceSlotStreams, decider: workspaceSlotsDecider };
