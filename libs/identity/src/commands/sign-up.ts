import { createHash } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newEntityId, Reservations, reservationStream } from '@streamplane/core';
import { userStream } from '../domain/user.decider';
import { UserView } from '../stores/user-directory';
import { KeyStore } from '../stores/key-store';
import { CredentialStore } from '../stores/credential-store';
import { MailedTokens } from './mailed-tokens';
import { UserCommands } from './user-commands';

export class SignUp extends Command<UserView> {
  constructor(
    readonly email: string,
    readonly password: string,
    /** Bootstrapped admins come verified, with an id derived from their email (same in every process). */
    readonly options: { userId?: string; verified?: boolean } = {},
  ) {
    super();
  }
}

export const emailReservation = (email: string) => reservationStream('email', createHash('sha256').update(email.trim().toLowerCase()).digest('hex'));

@CommandHandler(SignUp)
export class SignUpHandler implements ICommandHandler<SignUp> {
  constructor(
    private readonly reservations: Reservations,
    private readonly users: UserCommands,
    private readonly keys: KeyStore,
    private readonly credentials: CredentialStore,
    private readonly mailedTokens: MailedTokens,
  ) {}

  async execute({ email, password, options }: SignUp): Promise<UserView> {
    const userId = options.userId ?? newEntityId();
    const now = this.users.clock.now();
    await this.reservations.reserve(emailReservation(email), userId, 'this email', userStream);
    await this.credentials.setPassword(userId, password);
    const sealedEmail = await this.keys.seal(userId, email.trim());
    // The verification mail is due in the same append as the account; the mail reactor sends it.
    const sealedToken = options.verified ? undefined : await this.mailedTokens.issueSealed(userId, 'verify');
    await this.users.run(userId, (at) => ({ type: 'Register', userId, sealedEmail, verified: options.verified, sealedToken, now: at }));
    return { id: userId, email: email.trim(), verified: Boolean(options.verified), created_at: now.toISOString(), is_platform_admin: false };
  }
}
