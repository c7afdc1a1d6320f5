import { Aggregate, ConflictError, Decider, ForbiddenError, InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { AssignableRole, MemberRole } from './roles';
import { ServiceScope } from './service-scopes';
import { WorkspaceEvent, workspaceStreams } from './workspace.events';

export type WorkspaceCommand =
  | { type: 'Create'; workspaceId: string; name: string; description: string; ownerId: string; instanceLimit: number; now: Date }
  | { type: 'Update'; name?: string; description?: string; now: Date }
  /** `activeInstances` comes from the fleet: instances not archived. */
  | { type: 'Delete'; activeInstances: number; now: Date }
  | { type: 'AddMember'; userId: string; role: AssignableRole; now: Date }
  | { type: 'Invite'; invitationId: string; sealedEmail: string; emailHash: string; role: AssignableRole; workspaceName: string; now: Date }
  | { type: 'AcceptInvitation'; invitationId: string; userId: string; now: Date }
  | { type: 'CancelInvitation'; invitationId: string; now: Date }
  | { type: 'ChangeRole'; userId: string; role: AssignableRole; now: Date }
  | { type: 'RemoveMember'; userId: string; now: Date }
  | { type: 'TransferOwnership'; toUserId: string; now: Date }
  | { type: 'RequestInstanceLimit'; requestId: string; desiredLimit: number; reason: string; now: Date }
  | { type: 'DecideInstanceLimit'; requestId: string; approve: boolean; now: Date }
  /** A platform admin sets the limit directly, without a request. */
  | { type: 'SetInstanceLimit'; instanceLimit: number; now: Date }
  | { type: 'CreateServiceToken'; tokenId: string; name: string; scopes: ServiceScope[]; expiresAt: Date | null; createdBy: string; now: Date }
  | { type: 'RevokeServiceToken'; tokenId: string; now: Date };

export interface WorkspaceState {
  status: 'none' | 'active' | 'deleted';
  ownerId?: string;
  instanceLimit: number;
  members: Record<string, MemberRole>;
  invitations: Record<string, { emailHash: string; role: AssignableRole }>;
  limitRequests: Record<string, { desiredLimit: number; decided: boolean }>;
  /** Live workspace-owned tokens, by id. */
  serviceTokens: Record<string, true>;
}

export const DEFAULT_INSTANCE_LIMIT = 5;

const without = <T>(record: Record<string, T>, key: string) => Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));

export const workspaceDecider: Decider<WorkspaceCommand, WorkspaceEvent, WorkspaceState> = {
  initialState: () => ({ status: 'none', instanceLimit: DEFAULT_INSTANCE_LIMIT, members: {}, invitations: {}, limitRequests: {}, serviceTokens: {} }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'WorkspaceCreated':
        return { ...state, status: 'active', ownerId: event.data.owner_id, instanceLimit: event.data.instance_limit };
      case 'WorkspaceUpdated':
        return state;
      case 'WorkspaceDeleted':
        return { ...state, status: 'deleted' };
      case 'MemberAdded':
      case 'MemberRoleChanged':
        return { ...state, members: { ...state.members, [event.data.user_id]: event.data.role } };
      case 'MemberRemoved':
        return { ...state, members: without(state.members, event.data.user_id) };
      case 'MemberInvited':
        return { ...state, invitations: { ...state.invitations, [event.data.invitation_id]: { emailHash: event.data.email_hash, role: event.data.role } } };
      case 'InvitationAccepted':
      case 'InvitationCancelled':
        return { ...state, invitations: without(state.invitations, event.data.invitation_id) };
      case 'OwnershipTransferred':
        return { ...state, ownerId: event.data.to_user_id, members: { ...state.members, [event.data.from_user_id]: 'admin', [event.data.to_user_id]: 'owner' } };
      case 'InstanceLimitRequested':
        return { ...state, limitRequests: { ...state.limitRequests, [event.data.request_id]: { desiredLimit: event.data.desired_limit, decided: false } } };
      case 'InstanceLimitRequestDecided': {
        const request = state.limitRequests[event.data.request_id];
        return { ...state, limitRequests: { ...state.limitRequests, [event.data.request_id]: { ...request, decided: true } } };
      }
      case 'InstanceLimitChanged':
        return { ...state, instanceLimit: event.data.instance_limit };
      case 'ServiceTokenCreated':
        return { ...state, serviceTokens: { ...state.serviceTokens, [event.data.token_id]: true } };
      case 'ServiceTokenRevoked':
        return { ...state, serviceTokens: without(state.serviceTokens, event.data.token_id) };
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },
  decide: (command, state) => {
    const at = command.now.toISOString();
    if (command.type === 'Create') {
      if (state.status !== 'none') throw new ConflictError('this workspace already exists');
      return [
        {
          type: 'WorkspaceCreated',
          data: { at, workspace_id: command.workspaceId, name: command.name, description: command.description, owner_id: command.ownerId, instance_limit: command.instanceLimit },
        },
        { type: 'MemberAdded', data: { at, user_id: command.ownerId, role: 'owner' } },
      ];
    }
    if (state.status !== 'active') throw new NotFoundError('no such workspace');
    const isMember = (userId: string) => userId in state.members;
    switch (command.type) {
      case 'Update': {
        const changes = { ...(command.name !== undefined && { name: command.name }), ...(command.description !== undefined && { description: command.description }) };
        return [{ type: 'WorkspaceUpdated', data: { at, ...changes } }];
      }
      case 'Delete':
        if (command.activeInstances > 0) throw new InvalidStateError(`the workspace still has ${command.activeInstances} instances that are not archived`);
        return [{ type: 'WorkspaceDeleted', data: { at } }];
      case 'AddMember':
        if (isMember(command.userId)) throw new ConflictError('already a member');
        return [{ type: 'MemberAdded', data: { at, user_id: command.userId, role: command.role } }];
      case 'Invite':
        if (Object.values(state.invitations).some((i) => i.emailHash === command.emailHash)) throw new ConflictError('this email is already invited');
        return [
          {
            type: 'MemberInvited',
            data: { at, invitation_id: command.invitationId, email: command.sealedEmail, email_hash: command.emailHash, role: command.role, workspace_name: command.workspaceName },
          },
        ];
      case 'AcceptInvitation': {
        const invitation = state.invitations[command.invitationId];
        if (!invitation) return []; // cancelled, or accepted by an earlier run
        const accepted: WorkspaceEvent = { type: 'InvitationAccepted', data: { at, invitation_id: command.invitationId, user_id: command.userId } };
        return isMember(command.userId) ? [accepted] : [accepted, { type: 'MemberAdded', data: { at, user_id: command.userId, role: invitation.role } }];
      }
      case 'CancelInvitation':
        if (!state.invitations[command.invitationId]) throw new NotFoundError('no such invitation');
        return [{ type: 'InvitationCancelled', data: { at, invitation_id: command.invitationId } }];
      case 'ChangeRole':
        if (!isMember(command.userId)) throw new NotFoundError('no such member');
        if (command.userId === state.ownerId) throw new ForbiddenError("the owner's role changes only by transferring ownership");
        return state.members[command.userId] === command.role ? [] : [{ type: 'MemberRoleChanged', data: { at, user_id: command.userId, role: command.role } }];
      case 'RemoveMember':
        if (!isMember(command.userId)) throw new NotFoundError('no such member');
        if (command.userId === state.ownerId) throw new ForbiddenError('the owner cannot be removed; transfer ownership first');
        return [{ type: 'MemberRemoved', data: { at, user_id: command.userId } }];
      case 'TransferOwnership':
        if (!isMember(command.toUserId)) throw new InvalidStateError('the new owner must be a member of the workspace');
        if (command.toUserId === state.ownerId) return [];
        return [{ type: 'OwnershipTransferred', data: { at, from_user_id: state.ownerId!, to_user_id: command.toUserId } }];
      case 'RequestInstanceLimit':
        if (command.desiredLimit === state.instanceLimit) throw new InvalidStateError(`the limit is already ${state.instanceLimit}`);
        return [{ type: 'InstanceLimitRequested', data: { at, request_id: command.requestId, desired_limit: command.desiredLimit, reason: command.reason } }];
      case 'DecideInstanceLimit': {
        const request = state.limitRequests[command.requestId];
        if (!request) throw new NotFoundError('no such limit request');
        if (request.decided) throw new InvalidStateError('this request was already decided');
        const decided: WorkspaceEvent = { type: 'InstanceLimitRequestDecided', data: { at, request_id: command.requestId, approved: command.approve } };
        return command.approve ? [decided, { type: 'InstanceLimitChanged', data: { at, instance_limit: request.desiredLimit } }] : [decided];
      }
      case 'SetInstanceLimit':
        // Setting what is already set writes nothing: a repeated PUT is answered alike.
        return command.instanceLimit === state.instanceLimit ? [] : [{ type: 'InstanceLimitChanged', data: { at, instance_limit: command.instanceLimit } }];
      case 'CreateServiceToken':
        if (state.serviceTokens[command.tokenId]) throw new ConflictError('this service token already exists');
        return [
          {
            type: 'ServiceTokenCreated',
            data: { at, token_id: command.tokenId, name: command.name, scopes: command.scopes, expires_at: command.expiresAt?.toISOString() ?? null, created_by: command.createdBy },
          },
        ];
      case 'RevokeServiceToken':
        if (!state.serviceTokens[command.tokenId]) throw new NotFoundError('no such service token');
        return [{ type: 'ServiceTokenRevoked', data: { at, token_id: command.tokenId } }];
    }
  },
};

/**
 * Workspaces. No noun: a workspace's stream is the tenant itself (its commands run with its own id
 * as the workspace, which tags every event), so there is no foreign entity to refuse.
 */
export const workspaces: Aggregate<WorkspaceCommand, WorkspaceEvent, WorkspaceState> = { category: workspaceStreams, decider: workspaceDecider };
