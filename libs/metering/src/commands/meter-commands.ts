import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, Untimed } from '@streamplane/core';
import { MeterCommand, meters } from '../domain/meter.decider';

/**
 * Any command on one subject's meter, as data: the run tracker's starts and ends, the tick's
 * records, corrections. Answers the meter's version and how many stretches this run appended.
 */
export class ChangeMeter extends Command<{ version: number; recorded: number }> {
  constructor(
    readonly workspaceId: string,
    readonly subjectId: string,
    readonly change: Untimed<MeterCommand>,
  ) {
    super();
  }
}

@CommandHandler(ChangeMeter)
export class ChangeMeterHandler implements ICommandHandler<ChangeMeter> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ workspaceId, subjectId, change }: ChangeMeter): Promise<{ version: number; recorded: number }> {
    const outcome = await this.pipeline.decide(meters, subjectId, change, { workspaceId });
    // Stretches this run wrote: none when they were in the log already (a rerun, a doubled job).
    return { version: outcome.version, recorded: outcome.replayed ? 0 : outcome.events.filter((e) => e.type === 'UsageRecorded').length };
  }
}
