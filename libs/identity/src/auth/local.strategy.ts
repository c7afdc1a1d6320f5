import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { ForbiddenError } from '@streamplane/core';
import { UserView } from '../queries/user-directory';
import { PasswordAttempts } from './password-attempts';

export { SIGN_IN_LIMIT } from './password-attempts';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly attempts: PasswordAttempts) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  async validate(request: FastifyRequest, email: string, password: string): Promise<UserView> {
    const user = await this.attempts.check(email, password, request.ip);
    if (!user.verified) throw new ForbiddenError('verify your email before signing in');
    return user;
  }
}
