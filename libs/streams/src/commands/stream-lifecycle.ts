import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, newEntityId, NotFoundError, Untimed, ValidationError } from '@streamplane/core';
import { StreamCommand, streams } from '../domain/stream.decider';
import { StreamSpec } from '../domain/stream.events';
import { groups } from '../domain/group.decider';
import { GroupDirectory } from '../queries/group-directory';
import { StreamDirectory } from '../queries/stream-directory';

type Written = { stream_id: string; version: number };

/** What a create or a PUT writes: the whole spec (defaults filled in), the status, and the group to join, by name. */
export interface StreamInput {
  spec: StreamSpec;
  status: 'pending' | 'pause';
  groupName?: string;
}

export class CreateStream extends Command<Written> {
  constructor(
    readonly workspaceId: string,
    readonly input: StreamInput,
  ) {
    super();
  }
}

@CommandHandler(CreateStream)
export class CreateStreamHandler implements ICommandHandler<CreateStream> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly groups: GroupDirectory,
  ) {}

  async execute({ workspaceId, input }: CreateStream): Promise<Written> {
    const groupId = await groupNamed(this.groups, workspaceId, input.groupName);
    const streamId = newEntityId();
    const { version } = await this.pipeline.decide(streams, streamId, { type: 'Create', streamId, workspaceId, spec: input.spec, status: input.status, groupId }, { workspaceId });
    return { stream_id: streamId, version };
  }
}

/** The id of the group named `name`, or a 400 naming the `group_name` field when the workspace has no such group. */
async function groupNamed(groups: GroupDirectory, workspaceId: string, name: string | undefined): Promise<string | null> {
  if (name === undefined) return null;
  const id = await groups.idByName(workspaceId, name);
  if (!id) throw new ValidationError('the request has invalid fields', [{ field: 'group_name', message: `there is no group named ${name}` }]);
  return id;
}

export class ReplaceStream extends Command<Written> {
  constructor(
    readonly workspaceId: string,
    readonly streamId: string,
    readonly input: StreamInput,
  ) {
    super();
  }
}

/** PUT: the whole stream anew (version + 1); its `group_name`, if given, takes it into that group. */
@CommandHandler(ReplaceStream)
export class ReplaceStreamHandler implements ICommandHandler<ReplaceStream> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly groups: GroupDirectory,
  ) {}

  async execute({ workspaceId, streamId, input }: ReplaceStream): Promise<Written> {
    const groupId = await groupNamed(this.groups, workspaceId, input.groupName);
    const { version } = await this.pipeline.decide(streams, streamId, { type: 'Replace', spec: input.spec, status: input.status }, { workspaceId });
    if (groupId) await this.pipeline.decide(groups, groupId, { type: 'Attach', streamIds: [streamId] }, { workspaceId });
    return { stream_id: streamId, version };
  }
}

/** PATCH and DELETE (and the lease sweeper): any single-stream change that answers with the new version. */
export class ChangeStream extends Command<Written> {
  constructor(
    readonly workspaceId: string,
    readonly streamId: string,
    readonly change: Untimed<StreamCommand>,
  ) {
    super();
  }
}

@CommandHandler(ChangeStream)
export class ChangeStreamHandler implements ICommandHandler<ChangeStream> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ workspaceId, streamId, change }: ChangeStream): Promise<Written> {
    const { version } = await this.pipeline.decide(streams, streamId, change, { workspaceId });
    return { stream_id: streamId, version };
  }
}

export class DeleteStreams extends Command<{ deleted: number }> {
  constructor(
    readonly workspaceId: string,
    readonly streamIds: string[],
    readonly names: string[],
  ) {
    super();
  }
}

/** Most streams one bulk delete may match: each is a command, and a name can match without bound. */
export const BULK_DELETE_MAX_MATCHES = 1000;

/** Bulk delete by ids or names (OR); streams that vanish meanwhile are simply not counted. */
@CommandHandler(DeleteStreams)
export class DeleteStreamsHandler implements ICommandHandler<DeleteStreams> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly directory: StreamDirectory,
  ) {}

  async execute({ workspaceId, streamIds, names }: DeleteStreams): Promise<{ deleted: number }> {
    const ids = await this.directory.idsMatching(workspaceId, streamIds, names, BULK_DELETE_MAX_MATCHES + 1);
    if (ids.length > BULK_DELETE_MAX_MATCHES) {
      throw new ValidationError('too many streams match', [{ field: names.length ? 'names' : 'stream_ids', message: `matches more than ${BULK_DELETE_MAX_MATCHES} streams; delete them in smaller sets` }]);
    }
    let deleted = 0;
    for (const id of ids) {
      try {
        await this.pipeline.decide(streams, id, { type: 'Delete' }, { workspaceId });
        deleted++;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return { deleted };
  }
}
