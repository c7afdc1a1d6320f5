import { LegacyEventKind } from '@streamplane/core';

export const USER_EVENT_KINDS: LegacyEventKind[] = [
  { type: 'UserRegistered', version: 1, description: 'An account was created; its email is sealed with the user\'s own key' },
  // Version 2 carries the sealed token, and the mail reactor sends the mail from it; a version 1 event's mail was sent by its request.
  { type: 'VerificationEmailSent', version: 2, description: 'A verification mail is due; it carries the token, sealed with the user\'s key' },
  { type: 'UserVerified', version: 1, description: 'The account proved it owns its email' },
  { type: 'PasswordResetRequested', version: 2, description: 'A password reset mail is due; it carries the token, sealed with the user\'s key' },
  { type: 'PasswordChanged', version: 1, description: 'The password was changed or reset (the API tokens revoked with it follow as ApiTokenRevoked)' },
  { type: 'PlatformAdminGranted', version: 1, description: 'The account became a platform admin' },
  { type: 'ApiTokenCreated', version: 1, description: 'An API token was created (its secret is never in the log)' },
  { type: 'ApiTokenRevoked', version: 1, description: 'An API token was revoked' },
  { type: 'UserDeleted', version: 1, description: 'The account was deleted; its personal data is no longer readable' },
  { type: 'ValueReserved', version: 1, description: 'A unique value (an email, a routing key, a name) was reserved' },
  { type: 'ValueReleased', version: 1, description: 'A unique value was released' },
];
