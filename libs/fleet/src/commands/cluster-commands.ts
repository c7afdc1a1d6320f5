import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, CLOCK, CommandPipeline, newEntityId, workspaceScoped } from '@streamplane/core';
import { FleetCatalog } from '../catalog/fleet-catalog';
import { ClusterCommand, clusterDecider, clusterStream, clusterTokenHash } from '../domain/cluster.decider';
import { CLUSTER_INSTANCES, ClusterInstances } from '../domain/cluster-instances.port';

/** Runs cluster commands, refusing a cluster of another workspace as if it did not exist. */
@Injectable()
export class ClusterCommands {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalog: FleetCatalog,
  ) {}

  async run(workspaceId: string, clusterId: string, command: (now: Date) => ClusterCommand): Promise<{ version: number }> {
    const outcome = await this.pipeline.run({ stream: clusterStream(clusterId), decider: workspaceScoped(clusterDecider, workspaceId, 'cluster'), command: command(this.clock.now()), workspaceId });
    return { version: outcome.version };
  }

  checkVersion(version: string | undefined): void {
    this.catalog.assertVersion(version);
  }
}

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

@CommandHandler(CreateCluster)
export class CreateClusterHandler implements ICommandHandler<CreateCluster> {
  constructor(private readonly clusters: ClusterCommands) {}

  async execute({ workspaceId, name, imageVersion, token }: CreateCluster) {
    this.clusters.checkVersion(imageVersion);
    const id = newEntityId();
    const tokenSha256 = clusterTokenHash(token);
    const { version } = await this.clusters.run(workspaceId, id, (now) => ({ type: 'Create', clusterId: id, workspaceId, name, imageVersion, tokenSha256, now }));
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
    private readonly clusters: ClusterCommands,
    @Inject(CLUSTER_INSTANCES) private readonly instances: ClusterInstances,
  ) {}

  async execute({ workspaceId, clusterId, changes }: UpdateCluster) {
    this.clusters.checkVersion(changes.imageVersion);
    const unsettled = changes.imageVersion === undefined ? 0 : await this.instances.unsettled(clusterId);
    const { token, ...rest } = changes;
    const tokenSha256 = token === undefined ? undefined : clusterTokenHash(token);
    return this.clusters.run(workspaceId, clusterId, (now) => ({ type: 'Update', ...rest, ...(tokenSha256 !== undefined && { tokenSha256 }), blockingInstances: unsettled, now }));
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
    private readonly clusters: ClusterCommands,
    @Inject(CLUSTER_INSTANCES) private readonly instances: ClusterInstances,
  ) {}

  async execute({ workspaceId, clusterId }: DeleteCluster): Promise<void> {
    const active = await this.instances.active(clusterId);
    await this.clusters.run(workspaceId, clusterId, (now) => ({ type: 'Delete', activeInstances: active, now }));
  }
}
