// The identity context's public event catalogue: what projections and other contexts may know of
// its events. Pure: nothing here reaches Nest, pg, BullMQ or HTTP.
export { userEvents, userStreams } from './domain/user.events';
export type { UserEvent } from './domain/user.events';
export { workspaceEvents, workspaceStreams } from './domain/workspace.events';
export type { WorkspaceEvent } from './domain/workspace.events';
export { workspaceSlotEvents, workspaceSlotStreams } from './domain/workspace-slots.events';
export type { WorkspaceSlotEvent } from './domain/workspace-slots.events';
export { ASSIGNABLE_ROLES, ROLES } from './domain/roles';
export type { AssignableRole, MemberRole, Role } from './domain/roles';
export { SEALED_DATA } from './domain/sealed-data.port';
export type { SealedDataReader } from './domain/sealed-data.port';

import type { UserEvent } from './domain/user.events';
import type { WorkspaceEvent } from './domain/workspace.events';
import type { WorkspaceSlotEvent } from './domain/workspace-slots.events';

/** Every event the identity context writes. */
export type IdentityEvent = UserEvent | WorkspaceEvent | WorkspaceSlotEvent;
