import { Module } from '@nestjs/common';
import { EventCatalog } from '@streamplane/core';
import { ClustersProjection } from '@streamplane/projections/fleet/clusters/clusters.projection';
import { FleetCatalog } from './catalog/fleet-catalog';
import { ClusterCommands, CreateClusterHandler, DeleteClusterHandler, UpdateClusterHandler } from './commands/cluster-commands';
import { CLUSTER_INSTANCES, clustersWithoutInstances } from './domain/cluster-instances.port';
import { FLEET_EVENT_KINDS } from './fleet-event-kinds';
import { CatalogController } from './http/catalog.controller';
import { ClustersController } from './http/clusters.controller';
import { ClusterDirectory } from './queries/cluster-directory';

/** Fleet: the catalog and clusters (instances, deploys and the provisioner come next). */
@Module({
  controllers: [CatalogController, ClustersController],
  providers: [
    FleetCatalog,
    ClusterCommands,
    CreateClusterHandler,
    UpdateClusterHandler,
    DeleteClusterHandler,
    ClusterDirectory,
    ClustersProjection,
    { provide: CLUSTER_INSTANCES, useValue: clustersWithoutInstances },
  ],
  exports: [FleetCatalog],
})
export class FleetModule {
  constructor(catalog: EventCatalog) {
    catalog.register(...FLEET_EVENT_KINDS);
  }
}
