/**
 * What the cluster rules need to know of a cluster's instances. The instances read model answers
 * it once instances exist in the fleet context; until then a cluster has none.
 */
export interface ClusterInstances {
  /** Instances not archived. */
  active(clusterId: string): Promise<number>;
  /** Instances in a state a new image cannot be rolled out to (pending, provisioning, stopping, deleting). */
  unsettled(clusterId: string): Promise<number>;
}

export const CLUSTER_INSTANCES = Symbol('CLUSTER_INSTANCES');

export const clustersWithoutInstances: ClusterInstances = { active: async () => 0, unsettled: async () => 0 };
