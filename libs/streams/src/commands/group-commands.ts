import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newEntityId, Reservations, reservationStream, ValidationError } from '@streamplane/core';
import { GroupCommand, groupStream } from '../domain/group.decider';
import { StreamDirectory } from '../queries/stream-directory';
import { StreamCommands } from './stream-commands';

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
    private readonly commands: StreamCommands,
    private readonly reservations: Reservations,
  ) {}

  async execute({ workspaceId, name, description }: CreateGroup) {
    const groupId = newEntityId();
    await this.reservations.reserve(groupNameReservation(workspaceId, name), groupId, `the group name ${name}`, groupStream, workspaceId);
    await this.commands.group(workspaceId, groupId, (at) => ({ type: 'Create', groupId, workspaceId, name, description, now: at }));
    return { group_id: groupId, group_name: name };
  }
}

export class ChangeGroup extends Command<{ group_id: string; version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly groupId: string,
    readonly change: (now: Date) => GroupCommand,
  ) {
    super();
  }
}

@CommandHandler(ChangeGroup)
export class ChangeGroupHandler implements ICommandHandler<ChangeGroup> {
  constructor(private readonly commands: StreamCommands) {}

  async execute({ workspaceId, groupId, change }: ChangeGroup) {
    const { version } = await this.commands.group(workspaceId, groupId, change);
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
    private readonly commands: StreamCommands,
    private readonly reservations: Reservations,
  ) {}

  async execute({ workspaceId, groupId }: DeleteGroup): Promise<void> {
    const { state } = await this.commands.group(workspaceId, groupId, (now) => ({ type: 'Delete', now }));
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
    private readonly commands: StreamCommands,
    private readonly streams: StreamDirectory,
  ) {}

  async execute({ workspaceId, groupId, action, streamIds }: LinkStreams) {
    const unique = [...new Set(streamIds.map((id) => id.toLowerCase()))];
    if (action === 'attach') {
      const found = new Set((await this.streams.byIds(workspaceId, unique)).map((s) => s.stream_id));
      const missing = unique.filter((id) => !found.has(id));
      if (missing.length) {
        throw new ValidationError('the request has invalid fields', missing.map((id) => ({ field: 'stream_ids', message: `there is no stream ${id}` })));
      }
    }
    const { version } = await this.commands.group(workspaceId, groupId, (now) => (action === 'attach' ? { type: 'Attach', streamIds: unique, now } : { type: 'Detach', streamIds: unique, now }));
    return { group_id: groupId, version };
  }
}
