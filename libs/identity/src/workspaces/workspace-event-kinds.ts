import { LegacyEventKind } from '@streamplane/core';

export const WORKSPACE_EVENT_KINDS: LegacyEventKind[] = [
  { type: 'WorkspaceCreated', version: 1, description: 'A workspace was created with its owner' },
  { type: 'WorkspaceUpdated', version: 1, description: 'A workspace was renamed or described anew' },
  { type: 'WorkspaceDeleted', version: 1, description: 'A workspace was deleted' },
  { type: 'MemberAdded', version: 1, description: 'A user joined a workspace with a role' },
  { type: 'MemberRoleChanged', version: 1, description: "A member's role changed" },
  { type: 'MemberRemoved', version: 1, description: 'A member left or was removed' },
  // Version 2 names the workspace, and the mail reactor sends the invitation from it; a version 1 event's mail was sent by its request.
  { type: 'MemberInvited', version: 2, description: 'An email was invited (sealed with the invitation\'s own key); the invitation mail is due' },
  { type: 'InvitationAccepted', version: 1, description: 'An invitation was honoured when its email signed up and verified' },
  { type: 'InvitationCancelled', version: 1, description: 'An invitation was cancelled' },
  { type: 'OwnershipTransferred', version: 1, description: 'Ownership moved to another member; the old owner became admin' },
  { type: 'InstanceLimitRequested', version: 1, description: 'A workspace asked for another instance limit' },
  { type: 'InstanceLimitRequestDecided', version: 1, description: 'A platform admin approved or rejected a limit request' },
  { type: 'InstanceLimitChanged', version: 1, description: "The workspace's instance limit changed" },
];
