import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline } from '@streamplane/core';
import { FleetCatalog } from '../catalog/fleet-catalog';
import { clusters } from '../domain/cluster.decider';

export class MarkNoRollback extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly clusterId: string,
    readonly imageVersion: string,
    /** null: the mark is taken off. */
    readonly reason: string | null,
  ) {
    super();
  }
}

/** Marks (or unmarks) a version of the catalog in a cluster: no rollback of its instances goes back to it. */
@CommandHandler(MarkNoRollback)
export class MarkNoRollbackHandler implements ICommandHandler<MarkNoRollback> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly catalog: FleetCatalog,
  ) {}

  async execute({ workspaceId, clusterId, imageVersion, reason }: MarkNoRollback) {
    if (reason !== null) await this.catalog.assertVersion(imageVersion);
    const change = reason === null ? ({ type: 'EnableRollback', imageVersion } as const) : ({ type: 'DisableRollback', imageVersion, reason } as const);
    const { version } = await this.pipeline.decide(clusters, clusterId, change, { workspaceId });
    return { version };
  }
}
