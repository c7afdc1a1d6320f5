import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { TokenAuthenticator } from './token-authenticator';
import { Principal } from './principal';

@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly authenticator: TokenAuthenticator) {
    super();
  }

  validate(token: string): Promise<Principal> {
    return this.authenticator.authenticate(token);
  }
}
