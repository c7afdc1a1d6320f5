/** The roles that act, each with everything the one below it has: owner ⊃ admin ⊃ member ⊃ viewer. */
export const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];
/** Beside that chain: an auditor reads every route of its workspace (events, usage, billing, …) and writes nothing. */
export type MemberRole = Role | 'auditor';
/** Roles that can be given; `owner` only moves by a transfer. */
export const ASSIGNABLE_ROLES = ['viewer', 'member', 'admin', 'auditor'] as const;
export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number];

/** owner ⊃ admin ⊃ member ⊃ viewer */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

/** Whether a member may use a route that needs `minimum`: an auditor every read and no write, the others by the chain. */
export function mayUse(role: MemberRole, minimum: Role, access: 'read' | 'write'): boolean {
  return role === 'auditor' ? access === 'read' : roleAtLeast(role, minimum);
}
