import { MemberRole } from './roles';

/**
 * What a workspace-owned (service) token may do. `streams:handle` is what an external stream
 * handler needs: the queue's take and feedback routes, nothing else. `workspace:read` reads like
 * a viewer; `workspace:write` acts like a member. A service token never acts above `member`.
 */
export const SERVICE_SCOPES = ['streams:handle', 'workspace:read', 'workspace:write'] as const;
export type ServiceScope = (typeof SERVICE_SCOPES)[number];

/**
 * The role a token with these scopes acts with on a route (`routeScope`: the scope the route
 * names, if any; `reads`: whether the request only reads), or undefined when no scope covers it.
 */
export function serviceRole(scopes: readonly ServiceScope[], routeScope: ServiceScope | undefined, reads: boolean): MemberRole | undefined {
  if (scopes.includes('workspace:write')) return 'member';
  if (routeScope !== undefined && scopes.includes(routeScope)) return 'member';
  if (reads && scopes.includes('workspace:read')) return 'viewer';
  return undefined;
}
