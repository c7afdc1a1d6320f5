import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RateLimiter, UnauthorizedError } from '@streamplane/core';
import { CredentialStore } from '../stores/credential-store';
import { UserDirectory, UserView } from '../stores/user-directory';

/** Failed password checks allowed per window, per account and per client address. */
export const SIGN_IN_LIMIT = { perAccount: 5, perAddress: 20, windowSeconds: 15 * 60 };

const LOCKED = 'too many failed sign-ins; try again later';

/**
 * Every route that takes an email and a password checks it here, so each wrong guess counts
 * against the same limits wherever it is made, and a locked account answers 429 before its
 * password is even looked at (a right guess then looks exactly like a wrong one).
 */
@Injectable()
export class PasswordAttempts {
  constructor(
    private readonly users: UserDirectory,
    private readonly credentials: CredentialStore,
    private readonly limiter: RateLimiter,
  ) {}

  /** The account when the password is right; 401 when it is not (or there is no such account); 429 while locked. */
  async check(email: string, password: string, clientAddress: string | undefined): Promise<UserView> {
    const keys = [this.accountKey(email), `signin:address:${clientAddress ?? 'unknown'}`];
    await this.limiter.check(keys[0], SIGN_IN_LIMIT.perAccount, SIGN_IN_LIMIT.windowSeconds, LOCKED);
    await this.limiter.check(keys[1], SIGN_IN_LIMIT.perAddress, SIGN_IN_LIMIT.windowSeconds, LOCKED);
    const user = await this.users.byEmail(email);
    if (!user || !(await this.credentials.matches(user.id, password))) {
      for (const key of keys) await this.limiter.count(key, SIGN_IN_LIMIT.windowSeconds);
      throw new UnauthorizedError('wrong email or password');
    }
    return user;
  }

  /** A completed sign-in clears the account's failures (the address keeps its count). */
  async signedIn(email: string): Promise<void> {
    await this.limiter.reset(this.accountKey(email));
  }

  private accountKey(email: string): string {
    return `signin:account:${createHash('sha256').update(email.toLowerCase()).digest('hex')}`;
  }
}
