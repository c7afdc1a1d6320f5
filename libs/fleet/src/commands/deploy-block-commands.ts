import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, newEntityId, NotFoundError } from '@streamplane/core';
import { deployBlocks } from '../domain/deploy-block.decider';
import { ClusterDirectory } from '../queries/cluster-directory';

export class PlaceDeployBlock extends Command<{ id: string; version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly clusterId: string | null,
    readonly reason: string,
  ) {
    super();
  }
}

/** A cluster's freeze names one of the workspace's clusters (another workspace's is a 404, as for any id). */
@CommandHandler(PlaceDeployBlock)
export class PlaceDeployBlockHandler implements ICommandHandler<PlaceDeployBlock> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly clusters: ClusterDirectory,
  ) {}

  async execute({ workspaceId, clusterId, reason }: PlaceDeployBlock) {
    if (clusterId !== null && !(await this.clusters.get(workspaceId, clusterId))) throw new NotFoundError('no such cluster');
    const id = newEntityId();
    const { version } = await this.pipeline.decide(deployBlocks, id, { type: 'Place', blockId: id, workspaceId, clusterId, reason }, { workspaceId });
    return { id, version };
  }
}

export class LiftDeployBlock extends Command<void> {
  constructor(
    readonly workspaceId: string,
    readonly blockId: string,
  ) {
    super();
  }
}

@CommandHandler(LiftDeployBlock)
export class LiftDeployBlockHandler implements ICommandHandler<LiftDeployBlock> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ workspaceId, blockId }: LiftDeployBlock): Promise<void> {
    await this.pipeline.decide(deployBlocks, blockId, { type: 'Lift' }, { workspaceId });
  }
}
