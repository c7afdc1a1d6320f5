/** What the cluster rules need to know of a cluster's instances (the instances read model answers). */
export interface ClusterInstances {
  /** Instances not archived. */
  active(clusterId: string): Promise<number>;
  /** Instances in a state a new image cannot be rolled out to (pending, provisioning, stopping, deleting). */
  unsettled(clusterId: string): Promise<number>;
}

export const CLUSTER_INSTANCES = Symbol('CLUSTER_INSTANCES');
