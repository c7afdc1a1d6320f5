import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ForbiddenError, NotFoundError } from '@streamplane/core';
import { MemberRole, mayUse, Role } from '../domain/roles';
import { ServiceScope, serviceRole } from '../domain/service-scopes';
import { WorkspaceDirectory } from '../queries/workspace-directory';
import { AuthCache } from './auth-cache';
import { BearerGuard } from './guards';
import { Principal } from './principal';

const MIN_ROLE = 'streamplane:min-role';
const SERVICE_SCOPE = 'streamplane:service-scope';
const PEOPLE_ONLY = 'streamplane:people-only';
/** Methods that only read: an auditor may use every route answering one of them, and no other. */
const READS = new Set(['GET', 'HEAD']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The workspace a tenant route acts in, as the guard resolved it; handlers never take it from the body. */
export interface WorkspaceAccess {
  id: string;
  role: MemberRole;
  principal: Principal;
}

/**
 * Tenancy for every `/v1/workspaces/{workspace_id}/…` route: the caller must be a member (or use
 * an API token bound to that workspace) — otherwise 404, exactly as for a workspace that does not
 * exist — and hold at least the route's role, otherwise 403.
 */
@Injectable()
export class WorkspaceAccessGuard implements CanActivate {
  constructor(
    private readonly directory: WorkspaceDirectory,
    private readonly reflector: Reflector,
    private readonly cache: AuthCache,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ method: string; user: Principal; params: Record<string, string>; workspace?: WorkspaceAccess }>();
    const principal = request.user;
    const workspaceId = request.params.workspace_id;
    // Built only when thrown: capturing an error's stack costs more than the rest of the check.
    const notFound = () => new NotFoundError('no such workspace');
    if (!workspaceId || !UUID.test(workspaceId)) throw notFound();
    if (principal.workspaceId && principal.workspaceId !== workspaceId.toLowerCase()) throw notFound();
    const role = principal.kind === 'service' ? await this.serviceRoleOn(context, principal, request.method) : await this.roleOf(workspaceId.toLowerCase(), principal.userId);
    if (!role) throw notFound();
    const minimum = requiredRole(this.reflector, context.getHandler(), context.getClass());
    if (!mayUse(role, minimum, READS.has(request.method) ? 'read' : 'write')) throw new ForbiddenError(`this needs the ${minimum} role; you are ${role}`);
    request.workspace = { id: workspaceId.toLowerCase(), role, principal };
    return true;
  }

  /**
   * The role a service token acts with here: its workspace must still exist (404 otherwise, as
   * for anyone), and its scopes must cover the route (403 otherwise).
   */
  private async serviceRoleOn(context: ExecutionContext, principal: Principal, method: string): Promise<MemberRole | undefined> {
    const workspaceId = principal.workspaceId!;
    // The cache entry of a service token only records that its workspace still exists.
    const exists = await this.cachedRole(workspaceId, principal.userId, async () => ((await this.directory.exists(workspaceId)) ? 'member' : undefined));
    if (!exists) return undefined;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PEOPLE_ONLY, targets)) throw new ForbiddenError('service tokens cannot use this route: it concerns people (members, invitations, the workspace itself)');
    const role = serviceRole(principal.scopes, this.reflector.getAllAndOverride<ServiceScope | undefined>(SERVICE_SCOPE, targets), READS.has(method));
    if (!role) throw new ForbiddenError(`this token's scopes (${principal.scopes.join(', ') || 'none'}) do not cover this route`);
    return role;
  }

  private roleOf(workspaceId: string, userId: string): Promise<MemberRole | undefined> {
    return this.cachedRole(workspaceId, userId, () => this.directory.roleOf(workspaceId, userId));
  }

  private async cachedRole(workspaceId: string, key: string, lookUp: () => Promise<MemberRole | undefined>): Promise<MemberRole | undefined> {
    const cached = this.cache.role(workspaceId, key);
    if (cached) return cached.role;
    const role = await lookUp();
    this.cache.rememberRole(workspaceId, key, role);
    return role;
  }
}

/** Marks a controller as tenant-scoped; methods raise the bar with @RequireRole. */
export const WorkspaceRoute = () =>
  applyDecorators(
    UseGuards(BearerGuard, WorkspaceAccessGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'no valid bearer token' }),
    ApiNotFoundResponse({ description: 'no such workspace, or not yours' }),
    ApiForbiddenResponse({ description: 'your role is too low' }),
  );

export const RequireRole = (role: Role) => SetMetadata(MIN_ROLE, role);

/** A route a service token with this scope may use (see SERVICE_SCOPES). */
export const ServiceScoped = (scope: ServiceScope) => SetMetadata(SERVICE_SCOPE, scope);

/** A route about people (members, invitations, the workspace's own settings): service tokens get 403. */
export const PeopleOnly = () => SetMetadata(PEOPLE_ONLY, true);

/** The role a route needs, as the guard reads it (the handler's @RequireRole, else its controller's, else viewer); the role sweep test reads it the same way. */
export function requiredRole(reflector: Reflector, handler: object, controller: object): Role {
  return reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, [handler as () => void, controller as () => void]) ?? 'viewer';
}

export const CurrentWorkspace = createParamDecorator((_data: unknown, context: ExecutionContext): WorkspaceAccess => {
  return context.switchToHttp().getRequest<{ workspace: WorkspaceAccess }>().workspace;
});
