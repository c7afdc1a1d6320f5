import { upcastData } from '@streamplane/core/domain';
import { userEvents } from './user.events';
import { workspaceEvents } from './workspace.events';

describe('identity event catalogue', () => {
  it('reads a version 1 UserRegistered (`registered_at`) as version 2 (`at`)', () => {
    const stored = { user_id: 'u1', email: 'enc:v1:x', registered_at: '2025-01-01T00:00:00.000Z' };
    expect(upcastData(userEvents.kinds.UserRegistered, stored, 1)).toEqual({ user_id: 'u1', email: 'enc:v1:x', at: '2025-01-01T00:00:00.000Z' });
    expect(upcastData(userEvents.kinds.UserRegistered, { user_id: 'u1', email: 'x', at: 'now' }, 2)).toEqual({ user_id: 'u1', email: 'x', at: 'now' });
  });

  it('reads version 1 mail-asking events as they were: without what the mail reactor needs', () => {
    expect(upcastData(userEvents.kinds.VerificationEmailSent, { at: 'then' }, 1)).toEqual({ at: 'then' });
    expect(upcastData(userEvents.kinds.PasswordResetRequested, { at: 'then' }, 1)).toEqual({ at: 'then' });
    const invited = { at: 'then', invitation_id: 'i', email: 'enc:v1:x', email_hash: 'h', role: 'member' };
    expect(upcastData(workspaceEvents.kinds.MemberInvited, invited, 1)).toEqual(invited);
  });
});
