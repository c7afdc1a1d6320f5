import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, newEntityId } from '@streamplane/core';
import { FleetCatalog } from '../catalog/fleet-catalog';
import { clusters } from '../domain/cluster.decider';
import { assertNotBlocked } from '../domain/deploy-block.decider';
import { ClusterDirectory } from '../queries/cluster-directory';
import { DeployBlockDirectory } from '../queries/deploy-block-directory';
import { clusterTokenHash } from '../domain/cluster-token';
import { CLUSTER_INSTANCES, ClusterInstances } from '../domain/cluster-instances.port';

export class CreateCluster extends Command<{ id: string; version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly name: string,
    readonly imageVersion: string,
    readonly token: string | null,
  ) {
    super();
  }
}

/** The token is hashed here: the decider and the log only ever see its SHA-256. */
@CommandHandler(CreateCluster)
export class CreateClusterHandler implements ICommandHandler<CreateCluster> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly catalog: FleetCatalog,
  ) {}

  async execute({ workspaceId, name, imageVersion, token }: CreateCluster) {
    await this.catalog.assertVersion(imageVersion);
    const id = newEntityId();
    const tokenSha256 = clusterTokenHash(token);
    const { version } = await this.pipeline.decide(clusters, id, { type: 'Create', clusterId: id, workspaceId, name, imageVersion, tokenSha256 }, { workspaceId });
    return { id, version };
  }
}

export class UpdateCluster extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly clusterId: string,
    readonly changes: { name?: string; imageVersion?: string; token?: string | null },
  ) {
    super();
  }
}

@CommandHandler(UpdateCluster)
export class UpdateClusterHandler implements ICommandHandler<UpdateCluster> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly catalog: FleetCatalog,
    @Inject(CLUSTER_INSTANCES) private readonly instances: ClusterInstances,
    private readonly blocks: DeployBlockDirectory,
    private readonly clusters: ClusterDirectory,
  ) {}

  async execute({ workspaceId, clusterId, changes }: UpdateCluster) {
    await this.catalog.assertVersion(changes.imageVersion);
    // A new image rolls out to every instance: a deploy, which a freeze holds back (another
    // workspace's cluster is left to the pipeline's 404, and the same version is no roll-out).
    const cluster = changes.imageVersion === undefined ? undefined : await this.clusters.get(workspaceId, clusterId);
    if (cluster && cluster.image_version !== changes.imageVersion) assertNotBlocked(await this.blocks.holding(workspaceId, clusterId));
    const unsettled = changes.imageVersion === undefined ? 0 : await this.instances.unsettled(clusterId);
    const { token, ...rest } = changes;
    const tokenSha256 = token === undefined ? undefined : clusterTokenHash(token);
    const { version } = await this.pipeline.decide(clusters, clusterId, { type: 'Update', ...rest, ...(tokenSha256 !== undefined && { tokenSha256 }), blockingInstances: unsettled }, { workspaceId });
    return { version };
  }
}

export class DeleteCluster extends Command<void> {
  constructor(
    readonly workspaceId: string,
    readonly clusterId: string,
  ) {
    super();
  }
}

@CommandHandler(DeleteCluster)
export class DeleteClusterHandler implements ICommandHandler<DeleteCluster> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(CLUSTER_INSTANCES) private readonly instances: ClusterInstances,
  ) {}

  async execute({ workspaceId, clusterId }: DeleteCluster): Promise<void> {
    const active = await this.instances.active(clusterId);
    await this.pipeline.decide(clusters, clusterId, { type: 'Delete', activeInstances: active }, { workspaceId });
  }
}
