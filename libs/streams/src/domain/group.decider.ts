import { Aggregate, Decider, InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { GroupEvent, groupStreams } from './group.events';

export type GroupCommand =
  | { type: 'Create'; groupId: string; workspaceId: string; name: string; description: string; now: Date }
  | { type: 'Update'; description: string; now: Date }
  | { type: 'Delete'; now: Date }
  | { type: 'Attach'; streamIds: string[]; now: Date }
  | { type: 'Detach'; streamIds: string[]; now: Date };

export interface GroupState {
  status: 'none' | 'active' | 'deleted';
  name?: string;
  workspaceId?: string;
}

/**
 * A group of streams. Its name is unique in its workspace by a reservation stream (taken before
 * the group is created, released when it is deleted); which streams belong to it is told by
 * attach/detach events here and by `group_id` on StreamCreated.
 */
export const groupDecider: Decider<GroupCommand, GroupEvent, GroupState> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'GroupCreated':
        return { status: 'active', name: event.data.group_name, workspaceId: event.data.workspace_id };
      case 'GroupDeleted':
        return { ...state, status: 'deleted' };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    const at = command.now.toISOString();
    if (command.type === 'Create') {
      if (state.status !== 'none') throw new InvalidStateError('this group already exists');
      return [{ type: 'GroupCreated', data: { group_id: command.groupId, workspace_id: command.workspaceId, group_name: command.name, description: command.description, at } }];
    }
    if (state.status !== 'active') throw new NotFoundError('no such group');
    switch (command.type) {
      case 'Update':
        return [{ type: 'GroupUpdated', data: { description: command.description, at } }];
      case 'Delete':
        return [{ type: 'GroupDeleted', data: { group_name: state.name!, at } }];
      case 'Attach':
        return command.streamIds.length ? [{ type: 'StreamsAttachedToGroup', data: { stream_ids: command.streamIds, at } }] : [];
      case 'Detach':
        return command.streamIds.length ? [{ type: 'StreamsDetachedFromGroup', data: { stream_ids: command.streamIds, at } }] : [];
    }
  },
};

/** The group aggregate: `group-<id>` streams of one workspace each. */
export const groups: Aggregate<GroupCommand, GroupEvent, GroupState> = { category: groupStreams, decider: groupDecider, noun: 'group' };
