import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, ForbiddenError, UnauthorizedError } from '@streamplane/core';
import { Principal } from './principal';
import { MISSING_TOKEN, TokenAuthenticator } from './token-authenticator';

/**
 * `Authorization: Bearer <token>` → the request's principal. Written out rather than through
 * passport-http-bearer: passport's guard built a middleware, a promise and a proxy request on
 * every call (about 5% of a read's CPU), and the strategy also took tokens from the query string
 * and the body, which end up in logs and Referer headers. Only the header counts here.
 */
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(private readonly authenticator: TokenAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: Principal }>();
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedError(MISSING_TOKEN);
    }
    try {
      request.user = await this.authenticator.authenticate(token);
    } catch (error) {
      if (error instanceof UnauthorizedError) http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw error;
    }
    return true;
  }
}

@Injectable()
export class PlatformAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (!principal?.isPlatformAdmin) throw new ForbiddenError('platform admins only');
    return true;
  }
}

/**
 * API tokens are for automation inside workspaces: a leaked one must not be able to take the
 * account over (password, deletion), mint or list tokens, or reach beyond its workspace.
 */
@Injectable()
export class SessionTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (principal?.kind !== 'session') {
      throw new ForbiddenError('this needs a session token (sign in): API tokens cannot manage the account or its tokens, nor create workspaces');
    }
    return true;
  }
}

/** Service tokens act inside their workspace's routes only: outside them there is no person to act for. */
@Injectable()
export class PersonalTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (principal?.kind === 'service') throw new ForbiddenError("a service token acts only inside its workspace's routes");
    return true;
  }
}

/** A route for a signed-in person (a session token); API tokens get 403. */
export const SessionOnly = () =>
  applyDecorators(
    UseGuards(BearerGuard, SessionTokenGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'no valid bearer token' }),
    ApiForbiddenResponse({ description: 'an API token: this route needs a session token' }),
  );

/** A route for any signed-in caller (session or API token; service tokens get 403). */
export const Authenticated = () =>
  applyDecorators(UseGuards(BearerGuard, PersonalTokenGuard), ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'no valid bearer token' }));

/** A route for platform admins only. */
export const PlatformAdmin = () =>
  applyDecorators(UseGuards(BearerGuard, PlatformAdminGuard), ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'no valid bearer token' }), ApiForbiddenResponse({ description: 'not a platform admin' }));
