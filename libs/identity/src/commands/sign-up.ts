import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, newEntityId, Reservations, reservationStream } from '@streamplane/core';
import { emailHash } from '../domain/email';
import { users } from '../domain/user.decider';
import { userStreams } from '../domain/user.events';
import { UserView } from '../queries/user-directory';
import { KeyStore } from '../stores/key-store';
import { CredentialStore } from '../stores/credential-store';
import { MailedTokens } from './mailed-tokens';

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

/** One account per email: the reservation stream of its hash. */
export const emailReservation = (email: string) => reservationStream('email', emailHash(email));

@CommandHandler(SignUp)
export class SignUpHandler implements ICommandHandler<SignUp> {
  constructor(
    private readonly reservations: Reservations,
    private readonly pipeline: CommandPipeline,
    private readonly keys: KeyStore,
    private readonly credentials: CredentialStore,
    private readonly mailedTokens: MailedTokens,
  ) {}

  async execute({ email, password, options }: SignUp): Promise<UserView> {
    const userId = options.userId ?? newEntityId();
    await this.reservations.reserve(emailReservation(email), userId, 'this email', userStreams.stream);
    await this.credentials.setPassword(userId, password);
    const sealedEmail = await this.keys.seal(userId, email.trim());
    // The verification mail is due in the same append as the account; the mail reactor sends it.
    const sealedToken = options.verified ? undefined : await this.mailedTokens.issueSealed(userId, 'verify');
    const { events } = await this.pipeline.decide(users, userId, { type: 'Register', userId, sealedEmail, verified: options.verified, sealedToken });
    // The creation time is the event's, so the answer and the read model agree to the millisecond.
    return { id: userId, email: email.trim(), verified: Boolean(options.verified), created_at: events[0].data.at, is_platform_admin: false };
  }
}
