import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { AsOf, PG_POOL, readAsOf } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { ClustersProjection } from '@streamplane/projections/fleet/clusters/clusters.projection';
import { clusterStreams } from '../domain/cluster.events';
import { ClusterDirectory, ClusterView } from './cluster-directory';

/** A cluster as it was at a past point, replayed by its projection in a rolled-back transaction (see `readAsOf`). */
@Injectable()
export class ClustersAsOf {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projection: ClustersProjection,
    private readonly clusters: ClusterDirectory,
  ) {}

  /** Undefined when the cluster did not exist yet then, was already deleted, or is another workspace's. */
  cluster(workspaceId: string, clusterId: string, point: AsOf): Promise<ClusterView | undefined> {
    return readAsOf(this.pool, this.store, this.projection, {
      stream: clusterStreams.stream(clusterId),
      point,
      clear: (client) => client.query('DELETE FROM clusters WHERE id = $1', [clusterId]),
      read: (client) => this.clusters.get(workspaceId, clusterId, client),
    });
  }
}
