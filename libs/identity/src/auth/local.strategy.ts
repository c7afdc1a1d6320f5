import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { Strategy } from 'passport-local';
import { ForbiddenError, RateLimiter, UnauthorizedError } from '@streamplane/core';
import { CredentialStore } from '../stores/credential-store';
import { UserDirectory, UserView } from '../stores/user-directory';

/** Failed sign-ins allowed per window, per account and per client address. */
export const SIGN_IN_LIMIT = { perAccount: 5, perAddress: 20, windowSeconds: 15 * 60 };

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(
    private readonly users: UserDirectory,
    private readonly credentials: CredentialStore,
    private readonly limiter: RateLimiter,
  ) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  async validate(request: Request, email: string, password: string): Promise<UserView> {
    const accountKey = `signin:account:${createHash('sha256').update(email.toLowerCase()).digest('hex')}`;
    const addressKey = `signin:address:${request.ip}`;
    const message = 'too many failed sign-ins; try again later';
    await this.limiter.check(accountKey, SIGN_IN_LIMIT.perAccount, SIGN_IN_LIMIT.windowSeconds, message);
    await this.limiter.check(addressKey, SIGN_IN_LIMIT.perAddress, SIGN_IN_LIMIT.windowSeconds, message);
    const user = await this.users.byEmail(email);
    if (!user || !(await this.credentials.matches(user.id, password))) {
      await this.limiter.count(accountKey, SIGN_IN_LIMIT.windowSeconds);
      await this.limiter.count(addressKey, SIGN_IN_LIMIT.windowSeconds);
      throw new UnauthorizedError('wrong email or password');
    }
    if (!user.verified) throw new ForbiddenError('verify your email before signing in');
    await this.limiter.reset(accountKey);
    return user;
  }
}
