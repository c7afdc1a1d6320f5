import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { Strategy } from 'passport-http-bearer';
import { TokenAuthenticator } from './token-authenticator';
import { Principal } from './principal';

@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly authenticator: TokenAuthenticator) {
    super();
  }

  /**
   * The Authorization header only. passport-http-bearer also takes `access_token` from the query
   * string and the body: a token in a URL ends up in logs, browser history and Referer headers.
   * The strategy reads a view of the request that has neither.
   */
  override authenticate(request: Request, options?: object): void {
    const headerOnly = Object.create(request, { query: { value: {} }, body: { value: undefined } }) as Request;
    super.authenticate(headerOnly, options);
  }

  validate(token: string): Promise<Principal> {
    return this.authenticator.authenticate(token);
  }
}
