import { ConflictError, InvalidStateError, NotFoundError } from '@streamplane/core';
import { deciderSpec } from '@streamplane/testing';
import { userDecider } from './user.decider';
import { UserEvent } from './user.events';

const now = new Date('2026-02-03T04:05:06.000Z');
const at = now.toISOString();
const registered: UserEvent = { type: 'UserRegistered', data: { user_id: 'u1', email: 'enc:v1:x', at } };
const verified: UserEvent = { type: 'UserVerified', data: { at } };
const deleted: UserEvent = { type: 'UserDeleted', data: { at } };
const spec = deciderSpec(userDecider);

describe('user decider', () => {
  it('registers once, verified at once for bootstrapped admins', () => {
    spec.given([]).when({ type: 'Register', userId: 'u1', sealedEmail: 'enc:v1:x', now }).then([registered]);
    spec.given([]).when({ type: 'Register', userId: 'u1', sealedEmail: 'enc:v1:x', verified: true, now }).then([registered, verified]);
    // The verification mail is due in the same append as the account.
    spec
      .given([])
      .when({ type: 'Register', userId: 'u1', sealedEmail: 'enc:v1:x', sealedToken: 'enc:v1:t', now })
      .then([registered, { type: 'VerificationEmailSent', data: { at, token: 'enc:v1:t' } }]);
    spec.given([registered]).when({ type: 'Register', userId: 'u1', sealedEmail: 'enc:v1:x', now }).thenThrows(ConflictError);
  });

  it('verifies once; resending to a verified account is a conflict', () => {
    spec.given([registered]).when({ type: 'Verify', now }).then([verified]);
    spec.given([registered, verified]).when({ type: 'Verify', now }).then([]);
    spec.given([registered]).when({ type: 'RecordVerificationSent', sealedToken: 'enc:v1:t', now }).then([{ type: 'VerificationEmailSent', data: { at, token: 'enc:v1:t' } }]);
    spec.given([registered, verified]).when({ type: 'RecordVerificationSent', sealedToken: 'enc:v1:t', now }).thenThrows(ConflictError, 'already verified');
  });

  it('creates API tokens only for verified accounts and revokes only known ones', () => {
    const create = { type: 'CreateApiToken' as const, tokenId: 't1', name: 'ci', workspaceId: null, expiresAt: null, now };
    spec.given([registered]).when(create).thenThrows(InvalidStateError);
    const created: UserEvent = { type: 'ApiTokenCreated', data: { at, token_id: 't1', name: 'ci', workspace_id: null, expires_at: null } };
    spec.given([registered, verified]).when(create).then([created]);
    spec.given([registered, verified, created]).when({ type: 'RevokeApiToken', tokenId: 't1', now }).then([{ type: 'ApiTokenRevoked', data: { at, token_id: 't1' } }]);
    spec.given([registered, verified]).when({ type: 'RevokeApiToken', tokenId: 't1', now }).thenThrows(NotFoundError);
  });

  it('a deleted account is gone for every command', () => {
    spec.given([registered, verified]).when({ type: 'Delete', now }).then([deleted]);
    spec.given([registered, verified, deleted]).when({ type: 'ChangePassword', reason: 'changed', now }).thenThrows(NotFoundError);
    spec.given([registered, verified, deleted]).when({ type: 'Delete', now }).thenThrows(NotFoundError);
    spec.given([]).when({ type: 'RequestPasswordReset', sealedToken: 'enc:v1:t', now }).thenThrows(NotFoundError);
  });

  it('a password change revokes every live API token with it', () => {
    const created = (id: string): UserEvent => ({ type: 'ApiTokenCreated', data: { at, token_id: id, name: id, workspace_id: null, expires_at: null } });
    const revoked = (id: string): UserEvent => ({ type: 'ApiTokenRevoked', data: { at, token_id: id } });
    spec
      .given([registered, verified, created('t1'), created('t2'), revoked('t1')])
      .when({ type: 'ChangePassword', reason: 'reset', now })
      .then([{ type: 'PasswordChanged', data: { at, reason: 'reset' } }, revoked('t2')]);
    spec.given([registered, verified]).when({ type: 'ChangePassword', reason: 'changed', now }).then([{ type: 'PasswordChanged', data: { at, reason: 'changed' } }]);
  });

  it('grants platform admin once', () => {
    spec.given([registered, verified]).when({ type: 'GrantPlatformAdmin', now }).then([{ type: 'PlatformAdminGranted', data: { at } }]);
    spec.given([registered, verified, { type: 'PlatformAdminGranted', data: { at } }]).when({ type: 'GrantPlatformAdmin', now }).then([]);
  });
});
