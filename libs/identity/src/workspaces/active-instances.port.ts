/**
 * How many instances of a workspace are not archived. The fleet context provides it; until it
 * does, no workspace has instances. Deleting a workspace asks it first.
 */
export interface ActiveInstanceCounter {
  count(workspaceId: string): Promise<number>;
}

export const ACTIVE_INSTANCE_COUNTER = Symbol('ACTIVE_INSTANCE_COUNTER');

export const noInstances: ActiveInstanceCounter = { count: async () => 0 };
