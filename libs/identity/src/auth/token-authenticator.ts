import { Injectable } from '@nestjs/common';
import { bearerToken, currentContext, ForbiddenError, UnauthorizedError } from '@streamplane/core';
import { AuthTokenStore } from '../stores/auth-token-store';
import { hashToken } from '../stores/secret-token';
import { AuthCache } from './auth-cache';
import { UserDirectory } from '../queries/user-directory';
import { Principal } from './principal';

/** The two answers a bearer token can get, worded the same on every route. */
export const MISSING_TOKEN = 'a bearer token is required (Authorization: Bearer <token>)';
export const INVALID_TOKEN = 'the token is invalid, expired or revoked';

/** Bearer token → principal; also names the actor of everything the request does. */
@Injectable()
export class TokenAuthenticator {
  constructor(
    private readonly tokens: AuthTokenStore,
    private readonly users: UserDirectory,
    private readonly cache: AuthCache,
  ) {}

  async authenticate(token: string): Promise<Principal> {
    const hash = hashToken(token).toString('base64');
    let principal = this.cache.principal(hash);
    if (principal) this.tokens.touch(principal.tokenId);
    else principal = await this.lookUp(token, hash);
    const context = currentContext();
    if (context) context.actor = principal.kind === 'session' ? { type: 'user', id: principal.userId } : { type: 'token', id: principal.tokenId };
    return principal;
  }

  private async lookUp(token: string, hash: string): Promise<Principal> {
    const owner = await this.tokens.authenticate(token);
    if (!owner) throw new UnauthorizedError(INVALID_TOKEN);
    let principal: Principal;
    if (owner.kind === 'service') {
      principal = { userId: owner.tokenId, tokenId: owner.tokenId, kind: 'service', workspaceId: owner.workspaceId, isPlatformAdmin: false, scopes: owner.scopes };
    } else {
      const user = owner.userId === null ? undefined : await this.users.byId(owner.userId);
      if (!user) throw new UnauthorizedError(INVALID_TOKEN);
      principal = { userId: user.id, tokenId: owner.tokenId, kind: owner.kind, workspaceId: owner.workspaceId, isPlatformAdmin: user.is_platform_admin, scopes: [] };
    }
    this.cache.rememberPrincipal(hash, principal, owner.expiresAt);
    return principal;
  }

  /** For routes outside Nest's guards (the queue dashboard). */
  async requirePlatformAdmin(authorization: string | undefined): Promise<Principal> {
    const token = bearerToken(authorization);
    if (!token) throw new UnauthorizedError(MISSING_TOKEN);
    const principal = await this.authenticate(token);
    if (!principal.isPlatformAdmin) throw new ForbiddenError('platform admins only');
    return principal;
  }
}
