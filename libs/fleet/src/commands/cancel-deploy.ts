import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, NotFoundError } from '@streamplane/core';
import { instances } from '../domain/instance.decider';
import { QueuedDeployJobs } from '../deploys/queued-deploy-jobs';
import { InstanceDirectory } from '../queries/instance-directory';

export class CancelDeployRequest extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly deployId: string,
    readonly reason: string,
  ) {
    super();
  }
}

/** Cancels on the deploy's instance (its decider says whether it is still queued or running). */
@CommandHandler(CancelDeployRequest)
export class CancelDeployHandler implements ICommandHandler<CancelDeployRequest> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly directory: InstanceDirectory,
    private readonly jobs: QueuedDeployJobs,
  ) {}

  async execute({ workspaceId, deployId, reason }: CancelDeployRequest) {
    const instanceId = await this.directory.instanceOfDeploy(workspaceId, deployId);
    if (!instanceId) throw new NotFoundError('no such deploy');
    const { version, events } = await this.pipeline.decide(instances, instanceId, { type: 'CancelDeploy', deployId, reason }, { workspaceId });
    const cancelled = events.find((e) => e.type === 'DeployCancelled');
    if (cancelled?.type === 'DeployCancelled' && cancelled.data.phase === 'queued') await this.jobs.withdraw(instanceId, deployId);
    return { version };
  }
}
