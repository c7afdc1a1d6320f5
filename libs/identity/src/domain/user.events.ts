import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';

/** One stream per account: `user-<id>`. */
export const userStreams = streamCategory('user');

type At = { at: string };

/**
 * An account's events. Personal data in them (the email, the tokens mails carry) is sealed with
 * the user's own key (see crypto/personal-data): deleting the account shreds the key, and the log
 * keeps only noise.
 */
export const userEvents = defineEvents(userStreams, {
  UserRegistered: {
    description: "An account was created; its email is sealed with the user's own key",
    // Version 1 said `registered_at` where every other event says `at`.
    version: 2,
    upcasters: { 1: ({ registered_at, ...rest }) => ({ ...rest, at: registered_at }) },
    payload: payload<At & { user_id: string; email: string }>(),
    sealed: ['email'],
  },
  VerificationEmailSent: {
    description: "A verification mail is due; it carries the token, sealed with the user's key",
    /**
     * Version 2 carries the token the mail sends, sealed with the user's key, and the mail reactor
     * sends the mail from it; a version 1 event has none (its request sent the mail), and reads as
     * a version 2 event without a token.
     */
    version: 2,
    upcasters: { 1: (data) => data },
    payload: payload<At & { token?: string }>(),
    sealed: ['token'],
  },
  UserVerified: { description: 'The account proved it owns its email', payload: payload<At>() },
  PasswordResetRequested: {
    description: "A password reset mail is due; it carries the token, sealed with the user's key",
    // As VerificationEmailSent: a version 1 event has no token, its request sent the mail.
    version: 2,
    upcasters: { 1: (data) => data },
    payload: payload<At & { token?: string }>(),
    sealed: ['token'],
  },
  PasswordChanged: {
    description: 'The password was changed or reset (the API tokens revoked with it follow as ApiTokenRevoked)',
    payload: payload<At & { reason: 'changed' | 'reset' }>(),
  },
  PlatformAdminGranted: { description: 'The account became a platform admin', payload: payload<At>() },
  ApiTokenCreated: {
    description: 'An API token was created (its secret is never in the log)',
    payload: payload<At & { token_id: string; name: string; workspace_id: string | null; expires_at: string | null }>(),
  },
  ApiTokenRevoked: { description: 'An API token was revoked', payload: payload<At & { token_id: string }>() },
  UserDeleted: { description: 'The account was deleted; its personal data is no longer readable', payload: payload<At>() },
});

export type UserEvent = EventOf<typeof userEvents>;
