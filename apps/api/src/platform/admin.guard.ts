import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { APP_CONFIG, AppConfig, currentContext, ForbiddenError, UnauthorizedError } from '@streamplane/core';

/** Platform-admin routes. Until identity brings admin users, the configured ADMIN_TOKEN is the admin. */
@Injectable()
export class PlatformAdminGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    return isPlatformAdmin(request.header('authorization'), this.config.adminToken);
  }
}

export function isPlatformAdmin(authorization: string | undefined, adminToken: string | undefined): true {
  const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw new UnauthorizedError('a bearer token is required');
  if (!adminToken || !safeEqual(token, adminToken)) throw new ForbiddenError('platform admins only');
  const context = currentContext();
  if (context) context.actor = { type: 'token', id: 'platform-admin' };
  return true;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
