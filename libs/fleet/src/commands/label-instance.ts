import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline } from '@streamplane/core';
import { InstanceLabels, instances } from '../domain/instance.decider';

/** A rename, a description or tags alone: data only, so the instance's process is left as it is. */
export class LabelInstance extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly instanceId: string,
    readonly labels: InstanceLabels,
  ) {
    super();
  }
}

@CommandHandler(LabelInstance)
export class LabelInstanceHandler implements ICommandHandler<LabelInstance> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ workspaceId, instanceId, labels }: LabelInstance) {
    const { version } = await this.pipeline.decide(instances, instanceId, { type: 'Label', labels }, { workspaceId });
    return { version };
  }
}
