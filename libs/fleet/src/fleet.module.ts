import { join } from 'node:path';
import { Inject, Module } from '@nestjs/common';
import { EventCatalog, Migrator } from '@streamplane/core';
import { ACTIVE_INSTANCE_COUNTER, ActiveInstanceSocket } from '@streamplane/identity';
import { ClustersProjection } from '@streamplane/projections/fleet/clusters/clusters.projection';
import { InstancesProjection } from '@streamplane/projections/fleet/instances/instances.projection';
import { CancelDeployHandler } from './commands/cancel-deploy';
import { MarkNoRollbackHandler } from './commands/rollback-rules';
import { RollbackRulesController } from './http/rollback-rules.controller';
import { LiftDeployBlockHandler, PlaceDeployBlockHandler } from './commands/deploy-block-commands';
import { DeployBlocksController } from './http/deploy-blocks.controller';
import { DeployBlockDirectory } from './queries/deploy-block-directory';
import { DeployBlocksProjection } from '@streamplane/projections/fleet/deploy-blocks/deploy-blocks.projection';
import { SetInstanceEnvHandler } from './commands/env-commands';
import { ChangeInstanceHandler, ReconfigureInstanceHandler, RequestDeployHandler, RequestInstanceHandler } from './commands/instance-commands';
import { InstanceSlots } from './commands/instance-slots';
import { InstanceDeployer } from './deploys/instance-deployer';
import { InstanceHealer } from './deploys/instance-healer';
import { WorkerHosts } from './deploys/worker-hosts';
import { DeployQueueRebuild } from './deploys/deploy-rebuild';
import { QueuedDeployJobs } from './deploys/queued-deploy-jobs';
import { DeploysController } from './http/deploys.controller';
import { DeployDirectory } from './queries/deploy-directory';
import { InstanceOperationsController } from './http/instance-operations.controller';
import { InstancesController } from './http/instances.controller';
import { LocalProvisioner } from './provisioner/local-provisioner';
import { FleetSecrets } from './secrets/fleet-secrets';
import { PROVISIONER } from './provisioner/provisioner.port';
import { InstanceDirectory } from './queries/instance-directory';
import { FleetCatalog } from './catalog/fleet-catalog';
import { CatalogSeeder } from './catalog/catalog-seeder';
import { ChangeCatalogHandler } from './commands/catalog-commands';
import { AdminCatalogController } from './http/admin-catalog.controller';
import { CreateClusterHandler, DeleteClusterHandler, UpdateClusterHandler } from './commands/cluster-commands';
import { CLUSTER_INSTANCES } from './domain/cluster-instances.port';
import { FLEET_EVENT_GROUPS } from './events';
import { CatalogController } from './http/catalog.controller';
import { ClustersController } from './http/clusters.controller';
import { ClusterDirectory } from './queries/cluster-directory';
import { FleetAsOf } from './queries/fleet-as-of';

/** Fleet: the live catalog, clusters, instances and the deploy jobs that run them through a provisioner. */
@Module({
  controllers: [CatalogController, AdminCatalogController, ClustersController, InstancesController, InstanceOperationsController, DeploysController, DeployBlocksController, RollbackRulesController],
  providers: [
    FleetCatalog,
    CatalogSeeder,
    ChangeCatalogHandler,
    CreateClusterHandler,
    UpdateClusterHandler,
    DeleteClusterHandler,
    ClusterDirectory,
    FleetAsOf,
    ClustersProjection,
    InstancesProjection,
    InstanceDirectory,
    InstanceSlots,
    RequestInstanceHandler,
    ChangeInstanceHandler,
    SetInstanceEnvHandler,
    ReconfigureInstanceHandler,
    RequestDeployHandler,
    CancelDeployHandler,
    DeployDirectory,
    QueuedDeployJobs,
    DeployBlocksProjection,
    DeployBlockDirectory,
    PlaceDeployBlockHandler,
    LiftDeployBlockHandler,
    MarkNoRollbackHandler,
    InstanceDeployer,
    InstanceHealer,
    WorkerHosts,
    DeployQueueRebuild,
    LocalProvisioner,
    FleetSecrets,
    { provide: PROVISIONER, useExisting: LocalProvisioner },
    { provide: CLUSTER_INSTANCES, useExisting: InstanceDirectory },
  ],
  exports: [FleetCatalog, FleetSecrets, InstanceDirectory],
})
export class FleetModule {
  constructor(catalog: EventCatalog, instances: InstanceDirectory, @Inject(ACTIVE_INSTANCE_COUNTER) socket: ActiveInstanceSocket, migrator: Migrator) {
    catalog.register(...FLEET_EVENT_GROUPS);
    migrator.register({ name: 'fleet', dir: join(__dirname, '..', 'migrations') });
    // Deleting a workspace now asks the fleet how many instances it still has.
    socket.plug({ count: (workspaceId) => instances.activeInWorkspace(workspaceId) });
  }
}
