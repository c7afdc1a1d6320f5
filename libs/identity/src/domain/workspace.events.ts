import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';
import { AssignableRole, MemberRole } from './roles';
import { ServiceScope } from './service-scopes';

/** One stream per workspace: `workspace-<id>`. */
export const workspaceStreams = streamCategory('workspace');

type At = { at: string };

/** A workspace's events: its members, invitations and instance limit. */
export const workspaceEvents = defineEvents(workspaceStreams, {
  WorkspaceCreated: {
    description: 'A workspace was created with its owner',
    payload: payload<At & { workspace_id: string; name: string; description: string; owner_id: string; instance_limit: number }>(),
  },
  WorkspaceUpdated: { description: 'A workspace was renamed or described anew', payload: payload<At & { name?: string; description?: string }>() },
  WorkspaceDeleted: { description: 'A workspace was deleted', payload: payload<At>() },
  MemberAdded: { description: 'A user joined a workspace with a role', payload: payload<At & { user_id: string; role: MemberRole }>() },
  MemberRoleChanged: { description: "A member's role changed", payload: payload<At & { user_id: string; role: MemberRole }>() },
  MemberRemoved: { description: 'A member left or was removed', payload: payload<At & { user_id: string }>() },
  MemberInvited: {
    description: "An email was invited (sealed with the invitation's own key); the invitation mail is due",
    /**
     * `email` is sealed with the invitation's own key; `email_hash` finds it when that email signs
     * up. Version 2 adds `workspace_name`, which the invitation mail (sent by the mail reactor)
     * names; a version 1 event has none (its request sent the mail), and reads as a version 2
     * event without it.
     */
    version: 2,
    upcasters: { 1: (data) => data },
    payload: payload<At & { invitation_id: string; email: string; email_hash: string; role: AssignableRole; workspace_name?: string }>(),
    sealed: ['email'],
  },
  InvitationAccepted: {
    description: 'An invitation was honoured when its email signed up and verified',
    payload: payload<At & { invitation_id: string; user_id: string }>(),
  },
  InvitationCancelled: { description: 'An invitation was cancelled', payload: payload<At & { invitation_id: string }>() },
  OwnershipTransferred: {
    description: 'Ownership moved to another member; the old owner became admin',
    payload: payload<At & { from_user_id: string; to_user_id: string }>(),
  },
  InstanceLimitRequested: {
    description: 'A workspace asked for another instance limit',
    payload: payload<At & { request_id: string; desired_limit: number; reason: string }>(),
  },
  InstanceLimitRequestDecided: {
    description: 'A platform admin approved or rejected a limit request',
    payload: payload<At & { request_id: string; approved: boolean }>(),
  },
  InstanceLimitChanged: { description: "The workspace's instance limit changed", payload: payload<At & { instance_limit: number }>() },
  ServiceTokenCreated: {
    description: 'A workspace-owned token was made with its scopes (its secret is never in the log)',
    payload: payload<At & { token_id: string; name: string; scopes: ServiceScope[]; expires_at: string | null; created_by: string }>(),
  },
  ServiceTokenRevoked: { description: 'A workspace-owned token was revoked', payload: payload<At & { token_id: string }>() },
});

export type WorkspaceEvent = EventOf<typeof workspaceEvents>;
