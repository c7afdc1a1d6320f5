import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, newEntityId, Reservations, reservationStream, Untimed, ValidationError } from '@streamplane/core';
import { GroupCommand, groups } from '../domain/group.decider';
import { groupStreams } from '../domain/group.events';
import { StreamDirectory } from '../queries/stream-directory';
import { GroupDirectory } from '../queries/group-directory';

/** A group name is unique within its workspace: one reservation stream per (workspace, name). */
const groupNameReservation = (workspaceId: string, name: string) => reservationStream('group_name', `${workspaceId}.${name}`);

export class CreateGroup extends Command<{ group_id: string; group_name: string }> {
  constructor(
    readonly workspaceId: string,
    readonly name: string,
    readonly description: string,
  ) {
    super();
  }
}

@CommandHandler(CreateGroup)
export class CreateGroupHandler implements ICommandHandler<CreateGroup> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly reservations: Reservations,
  ) {}

  async execute({ workspaceId, name, description }: CreateGroup) {
    const groupId = newEntityId();
    await this.reservations.reserve(groupNameReservation(workspaceId, name), groupId, `the group name ${name}`, groupStreams.stream, workspaceId);
    await this.pipeline.decide(groups, groupId, { type: 'Create', groupId, workspaceId, name, description }, { workspaceId });
    return { group_id: groupId, group_name: name };
  }
}

export class ChangeGroup extends Command<{ group_id: string; version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly groupId: string,
    readonly change: Untimed<GroupCommand>,
  ) {
    super();
  }
}

@CommandHandler(ChangeGroup)
export class ChangeGroupHandler implements ICommandHandler<ChangeGroup> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ workspaceId, groupId, change }: ChangeGroup) {
    const { version } = await this.pipeline.decide(groups, groupId, change, { workspaceId });
    return { group_id: groupId, version };
  }
}

export class DeleteGroup extends Command<void> {
  constructor(
    readonly workspaceId: string,
    readonly groupId: string,
  ) {
    super();
  }
}

/** Deletes the group, then frees its name for a new group. */
@CommandHandler(DeleteGroup)
export class DeleteGroupHandler implements ICommandHandler<DeleteGroup> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly reservations: Reservations,
  ) {}

  async execute({ workspaceId, groupId }: DeleteGroup): Promise<void> {
    const { state } = await this.pipeline.decide(groups, groupId, { type: 'Delete' }, { workspaceId });
    await this.reservations.release(groupNameReservation(workspaceId, state.name!), groupId, workspaceId);
  }
}

export class LinkStreams extends Command<{ group_id: string; version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly groupId: string,
    readonly action: 'attach' | 'detach',
    readonly streamIds: string[],
  ) {
    super();
  }
}

/** Attach or detach up to 1000 streams; every id must be a live stream of this workspace. */
@CommandHandler(LinkStreams)
export class LinkStreamsHandler implements ICommandHandler<LinkStreams> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly streams: StreamDirectory,
    private readonly groupDirectory: GroupDirectory,
  ) {}

  async execute({ workspaceId, groupId, action, streamIds }: LinkStreams) {
    let unique = [...new Set(streamIds.map((id) => id.toLowerCase()))];
    // Detaching what is not in the group changes nothing, and an id that is not (another
    // workspace's stream) must not enter this workspace's log.
    if (action === 'detach') unique = await this.groupDirectory.membersAmong(groupId, unique);
    if (action === 'attach') {
      const found = new Set((await this.streams.byIds(workspaceId, unique)).map((s) => s.stream_id));
      const missing = unique.filter((id) => !found.has(id));
      if (missing.length) {
        throw new ValidationError('the request has invalid fields', missing.map((id) => ({ field: 'stream_ids', message: `there is no stream ${id}` })));
      }
    }
    const { version } = await this.pipeline.decide(groups, groupId, { type: action === 'attach' ? 'Attach' : 'Detach', streamIds: unique }, { workspaceId });
    return { group_id: groupId, version };
  }
}
