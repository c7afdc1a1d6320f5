/**
 * How many instances of a workspace are not archived. The fleet context answers it (it plugs its
 * counter in at start); without a fleet, no workspace has instances. Deleting a workspace asks it
 * first. Identity cannot import the fleet — the fleet builds on identity — hence the socket.
 */
export interface ActiveInstanceCounter {
  count(workspaceId: string): Promise<number>;
}

export class ActiveInstanceSocket implements ActiveInstanceCounter {
  private counter: ActiveInstanceCounter = { count: async () => 0 };

  plug(counter: ActiveInstanceCounter): void {
    this.counter = counter;
  }

  count(workspaceId: string): Promise<number> {
    return this.counter.count(workspaceId);
  }
}

export const ACTIVE_INSTANCE_COUNTER = Symbol('ACTIVE_INSTANCE_COUNTER');
