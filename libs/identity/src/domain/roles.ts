export const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];
/** Roles that can be given; `owner` only moves by a transfer. */
export const ASSIGNABLE_ROLES = ['viewer', 'member', 'admin'] as const;
export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number];

/** owner ⊃ admin ⊃ member ⊃ viewer */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}
