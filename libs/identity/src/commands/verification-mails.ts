import { Inject, Injectable } from '@nestjs/common';
import { Mailer, MAILER } from '../mail/mailer';
import { OneTimeTokenStore } from '../stores/one-time-token-store';
import { UserCommands } from './user-commands';

/** The mails that carry one-time tokens. The token is in the mail only, never in an event. */
@Injectable()
export class VerificationMails {
  constructor(
    private readonly tokens: OneTimeTokenStore,
    private readonly users: UserCommands,
    @Inject(MAILER) private readonly mailer: Mailer,
  ) {}

  async sendVerification(userId: string, email: string): Promise<void> {
    await this.users.run(userId, (now) => ({ type: 'RecordVerificationSent', now }));
    const token = await this.tokens.issue(userId, 'verify');
    await this.mailer.send({
      to: email,
      subject: 'Verify your Streamplane email',
      body: `Welcome to Streamplane.\n\nVerify your email with POST /v1/auth/verify and this verification_token:\n\n${token}\n\nIt works for 48 hours.`,
    });
  }

  async sendPasswordReset(userId: string, email: string): Promise<void> {
    await this.users.run(userId, (now) => ({ type: 'RequestPasswordReset', now }));
    const token = await this.tokens.issue(userId, 'reset');
    await this.mailer.send({
      to: email,
      subject: 'Reset your Streamplane password',
      body: `Someone asked to reset the password of this account.\n\nPOST /v1/auth/reset-password/confirm with user_id ${userId}, this token and your new password:\n\n${token}\n\nIt works for one hour. If it was not you, ignore this mail.`,
    });
  }
}
