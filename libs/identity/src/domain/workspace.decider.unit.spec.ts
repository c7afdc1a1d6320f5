import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError } from '@streamplane/core';
import { deciderSpec } from '@streamplane/testing';
import { workspaceDecider } from './workspace.decider';
import { WorkspaceEvent } from './workspace.events';

const now = new Date('2026-03-01T00:00:00.000Z');
const at = now.toISOString();
const created: WorkspaceEvent[] = [
  { type: 'WorkspaceCreated', data: { at, workspace_id: 'w1', name: 'Studio', description: '', owner_id: 'owner', instance_limit: 5 } },
  { type: 'MemberAdded', data: { at, user_id: 'owner', role: 'owner' } },
];
const withMember: WorkspaceEvent[] = [...created, { type: 'MemberAdded', data: { at, user_id: 'm', role: 'member' } }];
const invited: WorkspaceEvent = { type: 'MemberInvited', data: { at, invitation_id: 'i1', email: 'enc:v1:x', email_hash: 'h', role: 'viewer' } };
const spec = deciderSpec(workspaceDecider);

describe('workspace decider', () => {
  it('creates a workspace with its owner as the first member', () => {
    spec.given([]).when({ type: 'Create', workspaceId: 'w1', name: 'Studio', description: '', ownerId: 'owner', instanceLimit: 5, now }).then(created);
  });

  it('deletes only without live instances', () => {
    spec.given(created).when({ type: 'Delete', activeInstances: 2, now }).thenThrows(InvalidStateError, '2 instances');
    spec.given(created).when({ type: 'Delete', activeInstances: 0, now }).then([{ type: 'WorkspaceDeleted', data: { at } }]);
    spec.given([...created, { type: 'WorkspaceDeleted', data: { at } }]).when({ type: 'Update', name: 'x', now }).thenThrows(NotFoundError);
  });

  it('protects the owner: no role change, no removal', () => {
    spec.given(withMember).when({ type: 'ChangeRole', userId: 'owner', role: 'admin', now }).thenThrows(ForbiddenError);
    spec.given(withMember).when({ type: 'RemoveMember', userId: 'owner', now }).thenThrows(ForbiddenError);
    spec.given(withMember).when({ type: 'ChangeRole', userId: 'm', role: 'admin', now }).then([{ type: 'MemberRoleChanged', data: { at, user_id: 'm', role: 'admin' } }]);
    spec.given(withMember).when({ type: 'AddMember', userId: 'm', role: 'viewer', now }).thenThrows(ConflictError);
  });

  it('transfers ownership to a member only; the old owner becomes admin', () => {
    spec.given(created).when({ type: 'TransferOwnership', toUserId: 'stranger', now }).thenThrows(InvalidStateError);
    const transferred: WorkspaceEvent = { type: 'OwnershipTransferred', data: { at, from_user_id: 'owner', to_user_id: 'm' } };
    spec.given(withMember).when({ type: 'TransferOwnership', toUserId: 'm', now }).then([transferred]);
    const after = workspaceDecider.evolve(withMember.reduce(workspaceDecider.evolve, workspaceDecider.initialState()), transferred);
    expect(after).toMatchObject({ ownerId: 'm', members: { owner: 'admin', m: 'owner' } });
  });

  it('accepts an invitation once, adding the member with the invited role', () => {
    spec
      .given([...created, invited])
      .when({ type: 'AcceptInvitation', invitationId: 'i1', userId: 'new', now })
      .then([
        { type: 'InvitationAccepted', data: { at, invitation_id: 'i1', user_id: 'new' } },
        { type: 'MemberAdded', data: { at, user_id: 'new', role: 'viewer' } },
      ]);
    spec.given([...created, invited, { type: 'InvitationAccepted', data: { at, invitation_id: 'i1', user_id: 'new' } }]).when({ type: 'AcceptInvitation', invitationId: 'i1', userId: 'new', now }).then([]);
    spec.given([...created, invited]).when({ type: 'Invite', invitationId: 'i2', sealedEmail: 'x', emailHash: 'h', role: 'member', workspaceName: 'W', now }).thenThrows(ConflictError);
    spec
      .given(created)
      .when({ type: 'Invite', invitationId: 'i2', sealedEmail: 'x', emailHash: 'h2', role: 'member', workspaceName: 'W', now })
      .then([{ type: 'MemberInvited', data: { at, invitation_id: 'i2', email: 'x', email_hash: 'h2', role: 'member', workspace_name: 'W' } }]);
  });

  it('changes the instance limit when a request is approved, once', () => {
    const requested: WorkspaceEvent = { type: 'InstanceLimitRequested', data: { at, request_id: 'r1', desired_limit: 20, reason: 'launch' } };
    spec
      .given([...created, requested])
      .when({ type: 'DecideInstanceLimit', requestId: 'r1', approve: true, now })
      .then([
        { type: 'InstanceLimitRequestDecided', data: { at, request_id: 'r1', approved: true } },
        { type: 'InstanceLimitChanged', data: { at, instance_limit: 20 } },
      ]);
    spec.given([...created, requested, { type: 'InstanceLimitRequestDecided', data: { at, request_id: 'r1', approved: false } }]).when({ type: 'DecideInstanceLimit', requestId: 'r1', approve: true, now }).thenThrows(InvalidStateError);
  });

  it('lets a platform admin set the limit directly; the same limit again writes nothing; a deleted workspace is a 404', () => {
    spec.given(created).when({ type: 'SetInstanceLimit', instanceLimit: 12, now }).then([{ type: 'InstanceLimitChanged', data: { at, instance_limit: 12 } }]);
    spec.given(created).when({ type: 'SetInstanceLimit', instanceLimit: 5, now }).then([]);
    spec.given([...created, { type: 'WorkspaceDeleted', data: { at } }]).when({ type: 'SetInstanceLimit', instanceLimit: 9, now }).thenThrows(NotFoundError);
  });
});
