import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ForbiddenError } from '@streamplane/core';
import { Principal } from './principal';

/** Passport's errors are Nest exceptions; ours carry problem details, so let them through as they are. */
@Injectable()
export class BearerGuard extends AuthGuard('bearer') {
  override handleRequest<T>(error: unknown, user: T): T {
    if (error) throw error;
    return super.handleRequest(error, user, undefined, undefined as never);
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

/** A route for a signed-in person (a session token); API tokens get 403. */
export const SessionOnly = () =>
  applyDecorators(
    UseGuards(BearerGuard, SessionTokenGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'no valid bearer token' }),
    ApiForbiddenResponse({ description: 'an API token: this route needs a session token' }),
  );

/** A route for any signed-in caller (session or API token). */
export const Authenticated = () =>
  applyDecorators(UseGuards(BearerGuard), ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'no valid bearer token' }));

/** A route for platform admins only. */
export const PlatformAdmin = () =>
  applyDecorators(UseGuards(BearerGuard, PlatformAdminGuard), ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'no valid bearer token' }), ApiForbiddenResponse({ description: 'not a platform admin' }));
