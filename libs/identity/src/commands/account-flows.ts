import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, ConflictError, ForbiddenError, InvalidStateError, NotFoundError, RateLimiter, Reservations, UnauthorizedError } from '@streamplane/core';
import { users } from '../domain/user.decider';
import { PasswordAttempts } from '../auth/password-attempts';
import { UserDirectory, UserView } from '../queries/user-directory';
import { CredentialStore } from '../stores/credential-store';
import { OneTimeTokenStore } from '../stores/one-time-token-store';
import { AuthTokenStore } from '../stores/auth-token-store';
import { KeyStore } from '../stores/key-store';
import { WorkspaceDirectory } from '../queries/workspace-directory';
import { MailedTokens } from './mailed-tokens';
import { emailReservation } from './sign-up';
import { PasswordResetRequests } from './password-reset-requests';

export class VerifyEmail extends Command<void> {
  constructor(readonly token: string) {
    super();
  }
}

@CommandHandler(VerifyEmail)
export class VerifyEmailHandler implements ICommandHandler<VerifyEmail> {
  constructor(
    private readonly tokens: OneTimeTokenStore,
    private readonly pipeline: CommandPipeline,
  ) {}

  async execute({ token }: VerifyEmail): Promise<void> {
    const userId = await this.tokens.consume(token, 'verify');
    if (!userId) throw new UnauthorizedError('the verification token is invalid or expired');
    await this.pipeline.decide(users, userId, { type: 'Verify' });
  }
}

/** Resends allowed per account and hour. */
export const RESEND_LIMIT = { count: 3, windowSeconds: 3600 };

export class ResendVerification extends Command<void> {
  constructor(
    readonly email: string,
    readonly password: string,
    /** Where the request came from: wrong passwords count against it, as at sign-in. */
    readonly clientAddress: string | undefined,
  ) {
    super();
  }
}

@CommandHandler(ResendVerification)
export class ResendVerificationHandler implements ICommandHandler<ResendVerification> {
  constructor(
    private readonly attempts: PasswordAttempts,
    private readonly mailedTokens: MailedTokens,
    private readonly pipeline: CommandPipeline,
    private readonly limiter: RateLimiter,
  ) {}

  /** The password is checked like a sign-in (same counters, 429 while locked), so this is no way around its limits. */
  async execute({ email, password, clientAddress }: ResendVerification): Promise<void> {
    const user = await this.attempts.check(email, password, clientAddress);
    if (user.verified) throw new ConflictError('the email is already verified');
    await this.limiter.hit(`resend:${user.id}`, RESEND_LIMIT.count, RESEND_LIMIT.windowSeconds, 'too many verification mails; try again later');
    const sealedToken = await this.mailedTokens.issueSealed(user.id, 'verify');
    await this.pipeline.decide(users, user.id, { type: 'RecordVerificationSent', sealedToken });
  }
}

export class RequestPasswordReset extends Command<void> {
  constructor(readonly email: string) {
    super();
  }
}

@CommandHandler(RequestPasswordReset)
export class RequestPasswordResetHandler implements ICommandHandler<RequestPasswordReset> {
  constructor(private readonly requests: PasswordResetRequests) {}

  /** Answers the same, after the same work, whether or not the account exists: the work is a job. */
  async execute({ email }: RequestPasswordReset): Promise<void> {
    await this.requests.enqueue(email);
  }
}

export class ConfirmPasswordReset extends Command<void> {
  constructor(
    readonly userId: string,
    readonly token: string,
    readonly password: string,
  ) {
    super();
  }
}

@CommandHandler(ConfirmPasswordReset)
export class ConfirmPasswordResetHandler implements ICommandHandler<ConfirmPasswordReset> {
  constructor(
    private readonly tokens: OneTimeTokenStore,
    private readonly credentials: CredentialStore,
    private readonly sessions: AuthTokenStore,
    private readonly pipeline: CommandPipeline,
  ) {}

  /** Consuming the token voids the user's other reset tokens; every session and API token ends. */
  async execute({ userId, token, password }: ConfirmPasswordReset): Promise<void> {
    if (!(await this.tokens.consume(token, 'reset', userId))) throw new ForbiddenError('the reset token is invalid or expired');
    await this.credentials.setPassword(userId, password);
    await this.sessions.revokeAll(userId);
    await this.pipeline.decide(users, userId, { type: 'ChangePassword', reason: 'reset' });
  }
}

export class ChangePassword extends Command<void> {
  constructor(
    readonly userId: string,
    readonly currentTokenId: string,
    readonly oldPassword: string,
    readonly newPassword: string,
  ) {
    super();
  }
}

@CommandHandler(ChangePassword)
export class ChangePasswordHandler implements ICommandHandler<ChangePassword> {
  constructor(
    private readonly credentials: CredentialStore,
    private readonly sessions: AuthTokenStore,
    private readonly tokens: OneTimeTokenStore,
    private readonly pipeline: CommandPipeline,
  ) {}

  /**
   * Every other credential ends: the other sessions, every API token and pending reset mails.
   * The stores change before the event, so a crash in between leaves access closed, not open.
   */
  async execute({ userId, currentTokenId, oldPassword, newPassword }: ChangePassword): Promise<void> {
    if (!(await this.credentials.matches(userId, oldPassword))) throw new ForbiddenError('the old password is wrong');
    await this.credentials.setPassword(userId, newPassword);
    await this.sessions.revokeAll(userId, currentTokenId);
    await this.tokens.voidAll(userId, 'reset');
    await this.pipeline.decide(users, userId, { type: 'ChangePassword', reason: 'changed' });
  }
}

export class DeleteAccount extends Command<void> {
  constructor(readonly userId: string) {
    super();
  }
}

@CommandHandler(DeleteAccount)
export class DeleteAccountHandler implements ICommandHandler<DeleteAccount> {
  constructor(
    private readonly directory: UserDirectory,
    private readonly pipeline: CommandPipeline,
    private readonly reservations: Reservations,
    private readonly keys: KeyStore,
    private readonly credentials: CredentialStore,
    private readonly sessions: AuthTokenStore,
    private readonly tokens: OneTimeTokenStore,
    private readonly workspaces: WorkspaceDirectory,
  ) {}

  /** The history stays; the personal data in it becomes unreadable once the key is gone. */
  async execute({ userId }: DeleteAccount): Promise<void> {
    const user: UserView | undefined = await this.directory.byId(userId);
    if (!user) throw new NotFoundError('no such account');
    // A workspace must always have an owner: its owner hands it on (or deletes it) before leaving.
    const owned = await this.workspaces.ownedBy(userId);
    if (owned.length) {
      const names = owned.map((w) => `"${w.name}" (${w.id})`).join(', ');
      throw new InvalidStateError(`you own workspaces; transfer their ownership or delete them first: ${names}`);
    }
    await this.pipeline.decide(users, userId, { type: 'Delete' });
    await this.reservations.release(emailReservation(user.email), userId);
    await this.sessions.revokeAll(userId);
    await this.tokens.removeAll(userId);
    await this.credentials.remove(userId);
    await this.keys.shred(userId);
  }
}
