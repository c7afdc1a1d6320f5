import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK, CommandPipeline, workspaceScoped } from '@streamplane/core';
import { StreamCommand, streamDecider, StreamState, streamStream } from '../domain/stream.decider';
import { GroupCommand, groupDecider, GroupState, groupStream } from '../domain/group.decider';

/** Runs stream and group commands through the pipeline, tagging every event with its workspace. */
@Injectable()
export class StreamCommands {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(CLOCK) readonly clock: Clock,
  ) {}

  async stream(workspaceId: string, streamId: string, command: (now: Date) => StreamCommand): Promise<{ version: number; state: StreamState; wrote: boolean }> {
    const outcome = await this.pipeline.run({ stream: streamStream(streamId), decider: workspaceScoped(streamDecider, workspaceId, 'stream'), command: command(this.clock.now()), workspaceId });
    return { version: outcome.version, state: outcome.state, wrote: outcome.events.length > 0 };
  }

  async group(workspaceId: string, groupId: string, command: (now: Date) => GroupCommand): Promise<{ version: number; state: GroupState }> {
    const outcome = await this.pipeline.run({ stream: groupStream(groupId), decider: workspaceScoped(groupDecider, workspaceId, 'group'), command: command(this.clock.now()), workspaceId });
    return { version: outcome.version, state: outcome.state };
  }

  /** Current state of a stream straight from the log (the read model may lag behind). */
  async loadStream(streamId: string): Promise<StreamState> {
    return (await this.pipeline.load(streamStream(streamId), streamDecider)).state;
  }
}
