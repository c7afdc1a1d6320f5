import { Aggregate, ConflictError, Decider, InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { UserEvent, userStreams } from './user.events';

export type UserCommand =
  /** `sealedToken`: the verification mail's token, for an account that is not verified at once. */
  | { type: 'Register'; userId: string; sealedEmail: string; verified?: boolean; sealedToken?: string; now: Date }
  | { type: 'RecordVerificationSent'; sealedToken: string; now: Date }
  | { type: 'Verify'; now: Date }
  | { type: 'RequestPasswordReset'; sealedToken: string; now: Date }
  | { type: 'ChangePassword'; reason: 'changed' | 'reset'; now: Date }
  | { type: 'GrantPlatformAdmin'; now: Date }
  | { type: 'CreateApiToken'; tokenId: string; name: string; workspaceId: string | null; expiresAt: Date | null; now: Date }
  | { type: 'RevokeApiToken'; tokenId: string; now: Date }
  | { type: 'Delete'; now: Date };

export interface UserState {
  status: 'none' | 'unverified' | 'verified' | 'deleted';
  platformAdmin: boolean;
  apiTokens: string[];
}

export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: () => ({ status: 'none', platformAdmin: false, apiTokens: [] }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'UserRegistered':
        return { ...state, status: 'unverified' };
      case 'UserVerified':
        return { ...state, status: 'verified' };
      case 'PlatformAdminGranted':
        return { ...state, platformAdmin: true };
      case 'ApiTokenCreated':
        return { ...state, apiTokens: [...state.apiTokens, event.data.token_id] };
      case 'ApiTokenRevoked':
        return { ...state, apiTokens: state.apiTokens.filter((id) => id !== event.data.token_id) };
      case 'UserDeleted':
        return { status: 'deleted', platformAdmin: false, apiTokens: [] };
      case 'VerificationEmailSent':
      case 'PasswordResetRequested':
      case 'PasswordChanged':
        return state;
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },
  decide: (command, state) => {
    const at = command.now.toISOString();
    if (command.type === 'Register') {
      if (state.status !== 'none') throw new ConflictError('this account already exists');
      const registered: UserEvent = { type: 'UserRegistered', data: { user_id: command.userId, email: command.sealedEmail, at } };
      if (command.verified) return [registered, { type: 'UserVerified', data: { at } }];
      // One append: an account can never exist without the fact that its verification mail is due.
      return command.sealedToken ? [registered, { type: 'VerificationEmailSent', data: { at, token: command.sealedToken } }] : [registered];
    }
    if (state.status === 'none' || state.status === 'deleted') throw new NotFoundError('no such account');
    switch (command.type) {
      case 'RecordVerificationSent':
        if (state.status === 'verified') throw new ConflictError('the email is already verified');
        return [{ type: 'VerificationEmailSent', data: { at, token: command.sealedToken } }];
      case 'Verify':
        return state.status === 'verified' ? [] : [{ type: 'UserVerified', data: { at } }];
      case 'RequestPasswordReset':
        return [{ type: 'PasswordResetRequested', data: { at, token: command.sealedToken } }];
      case 'ChangePassword':
        // A new password ends every API token: one may have leaked with the old password.
        return [
          { type: 'PasswordChanged', data: { at, reason: command.reason } },
          ...state.apiTokens.map((tokenId): UserEvent => ({ type: 'ApiTokenRevoked', data: { at, token_id: tokenId } })),
        ];
      case 'GrantPlatformAdmin':
        return state.platformAdmin ? [] : [{ type: 'PlatformAdminGranted', data: { at } }];
      case 'CreateApiToken':
        if (state.status !== 'verified') throw new InvalidStateError('verify the email first');
        return [
          {
            type: 'ApiTokenCreated',
            data: { at, token_id: command.tokenId, name: command.name, workspace_id: command.workspaceId, expires_at: command.expiresAt?.toISOString() ?? null },
          },
        ];
      case 'RevokeApiToken':
        if (!state.apiTokens.includes(command.tokenId)) throw new NotFoundError('no such token');
        return [{ type: 'ApiTokenRevoked', data: { at, token_id: command.tokenId } }];
      case 'Delete':
        return [{ type: 'UserDeleted', data: { at } }];
    }
  },
};

/** Accounts: not an entity of one workspace, so no noun (a user id is never a 404 of another tenant). */
export const users: Aggregate<UserCommand, UserEvent, UserState> = { category: userStreams, decider: userDecider };
