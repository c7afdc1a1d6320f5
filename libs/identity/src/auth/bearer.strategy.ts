import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { TokenAuthenticator } from './token-authenticator';
import { Principal } from './principal';

/** passport's own request type (it was written for Express; Fastify's request has what it reads). */
type PassportRequest = Parameters<InstanceType<typeof Strategy>['authenticate']>[0];

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
  override authenticate(request: PassportRequest, options?: object): void {
    const headerOnly = Object.create(request, { query: { value: {} }, body: { value: undefined } }) as PassportRequest;
    super.authenticate(headerOnly, options);
  }

  validate(token: string): Promise<Principal> {
    return this.authenticator.authenticate(token);
  }
}
