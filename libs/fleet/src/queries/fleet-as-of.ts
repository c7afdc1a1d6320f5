import { Injectable } from '@nestjs/common';
import { AsOf, PastReads } from '@streamplane/core';
import { ClustersProjection } from '@streamplane/projections/fleet/clusters/clusters.projection';
import { InstancesProjection } from '@streamplane/projections/fleet/instances/instances.projection';
import { clusterStreams } from '../domain/cluster.events';
import { instanceStreams } from '../domain/instance.events';
import { ClusterDirectory, ClusterView } from './cluster-directory';
import { InstanceDirectory, InstanceView } from './instance-directory';

/**
 * Clusters and instances as they were at a past point, each replayed by its projection in a
 * rolled-back transaction (see `PastReads`). Undefined when the entity did not exist yet then, was
 * already deleted, or is another workspace's.
 */
@Injectable()
export class FleetAsOf {
  constructor(
    private readonly past: PastReads,
    private readonly clusterRows: ClustersProjection,
    private readonly instanceRows: InstancesProjection,
    private readonly clusters: ClusterDirectory,
    private readonly instances: InstanceDirectory,
  ) {}

  cluster(workspaceId: string, clusterId: string, point: AsOf): Promise<ClusterView | undefined> {
    return this.past.read(this.clusterRows, {
      workspaceId,
      stream: clusterStreams.stream(clusterId),
      point,
      clear: (client) => client.query('DELETE FROM clusters WHERE id = $1', [clusterId]),
      read: (client) => this.clusters.get(workspaceId, clusterId, client),
    });
  }

  instance(workspaceId: string, instanceId: string, point: AsOf): Promise<InstanceView | undefined> {
    return this.past.read(this.instanceRows, {
      workspaceId,
      stream: instanceStreams.stream(instanceId),
      point,
      clear: async (client) => {
        await client.query('DELETE FROM instance_deploys WHERE instance_id = $1', [instanceId]);
        await client.query('DELETE FROM instances WHERE id = $1', [instanceId]);
      },
      read: (client) => this.instances.get(workspaceId, instanceId, client),
    });
  }
}
