import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK, CommandPipeline } from '@streamplane/core';
import { UserCommand, userDecider, userStream } from '../domain/user.decider';

/** Runs a user command through the pipeline: what every identity handler shares. */
@Injectable()
export class UserCommands {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(CLOCK) readonly clock: Clock,
  ) {}

  run(userId: string, command: (now: Date) => UserCommand) {
    return this.pipeline.run({ stream: userStream(userId), decider: userDecider, command: command(this.clock.now()) });
  }
}
