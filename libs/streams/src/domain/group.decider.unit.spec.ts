import { InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { deciderSpec } from '@streamplane/testing';
import { groupDecider } from './group.decider';
import { GroupEvent } from './group.events';

const now = new Date('2026-11-25T10:00:00.000Z');
const at = now.toISOString();
const created: GroupEvent = { type: 'GroupCreated', data: { group_id: 'g1', workspace_id: 'w1', group_name: 'lobby', description: '', at } };
const spec = deciderSpec(groupDecider);

describe('group decider', () => {
  it('creates a group once', () => {
    spec.given([]).when({ type: 'Create', groupId: 'g1', workspaceId: 'w1', name: 'lobby', description: '', now }).then([created]);
    spec.given([created]).when({ type: 'Create', groupId: 'g1', workspaceId: 'w1', name: 'lobby', description: '', now }).thenThrows(InvalidStateError);
  });

  it('attaches and detaches streams; an empty list changes nothing', () => {
    spec.given([created]).when({ type: 'Attach', streamIds: ['s1', 's2'], now }).then([{ type: 'StreamsAttachedToGroup', data: { stream_ids: ['s1', 's2'], at } }]);
    spec.given([created]).when({ type: 'Detach', streamIds: ['s1'], now }).then([{ type: 'StreamsDetachedFromGroup', data: { stream_ids: ['s1'], at } }]);
    spec.given([created]).when({ type: 'Attach', streamIds: [], now }).then([]);
  });

  it('a deleted group, or one never created, is not found', () => {
    const deleted: GroupEvent = { type: 'GroupDeleted', data: { group_name: 'lobby', at } };
    spec.given([created, deleted]).when({ type: 'Update', description: 'x', now }).thenThrows(NotFoundError);
    spec.given([]).when({ type: 'Attach', streamIds: ['s1'], now }).thenThrows(NotFoundError);
    spec.given([created]).when({ type: 'Delete', now }).then([{ type: 'GroupDeleted', data: { group_name: 'lobby', at } }]);
  });
});
