import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newEntityId, NotFoundError, ValidationError } from '@streamplane/core';
import { JsonObject } from '@streamplane/eventstore';
import { DEFAULT_AUTORESTART, StreamCommand, StreamSpec } from '../domain/stream.decider';
import { CreateStreamBody } from '../http/stream.dto';
import { GroupDirectory } from '../queries/group-directory';
import { StreamDirectory } from '../queries/stream-directory';
import { StreamCommands } from './stream-commands';

type Written = { stream_id: string; version: number };

/** The create/PUT body with the contract's defaults filled in. */
export function specOf(body: CreateStreamBody): StreamSpec {
  return {
    name: body.name ?? '',
    description: body.description ?? '',
    data: body.data as JsonObject,
    event_handler: body.event_handler as JsonObject,
    policies: (body.policies ?? {}) as JsonObject,
    autorestart: { ...DEFAULT_AUTORESTART, ...body.autorestart },
  };
}

export class CreateStream extends Command<Written> {
  constructor(
    readonly workspaceId: string,
    readonly body: CreateStreamBody,
  ) {
    super();
  }
}

@CommandHandler(CreateStream)
export class CreateStreamHandler implements ICommandHandler<CreateStream> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly groups: GroupDirectory,
  ) {}

  async execute({ workspaceId, body }: CreateStream): Promise<Written> {
    const groupId = await groupNamed(this.groups, workspaceId, body.group_name);
    const streamId = newEntityId();
    const { version } = await this.streams.stream(workspaceId, streamId, (now) => ({
      type: 'Create',
      streamId,
      workspaceId,
      spec: specOf(body),
      status: body.status ?? 'pending',
      groupId,
      now,
    }));
    return { stream_id: streamId, version };
  }
}

/** The id of the body's `group_name`, or a 400 naming the field when the workspace has no such group. */
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
    readonly body: CreateStreamBody,
  ) {
    super();
  }
}

/** PUT: the whole stream anew (version + 1); its `group_name`, if given, takes it into that group. */
@CommandHandler(ReplaceStream)
export class ReplaceStreamHandler implements ICommandHandler<ReplaceStream> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly groups: GroupDirectory,
  ) {}

  async execute({ workspaceId, streamId, body }: ReplaceStream): Promise<Written> {
    const groupId = await groupNamed(this.groups, workspaceId, body.group_name);
    const { version } = await this.streams.stream(workspaceId, streamId, (now) => ({ type: 'Replace', spec: specOf(body), status: body.status ?? 'pending', now }));
    if (groupId) await this.streams.group(workspaceId, groupId, (now) => ({ type: 'Attach', streamIds: [streamId], now }));
    return { stream_id: streamId, version };
  }
}

/** PATCH and DELETE: any single-stream change that answers with the new version. */
export class ChangeStream extends Command<Written> {
  constructor(
    readonly workspaceId: string,
    readonly streamId: string,
    readonly change: (now: Date) => StreamCommand,
  ) {
    super();
  }
}

@CommandHandler(ChangeStream)
export class ChangeStreamHandler implements ICommandHandler<ChangeStream> {
  constructor(private readonly streams: StreamCommands) {}

  async execute({ workspaceId, streamId, change }: ChangeStream): Promise<Written> {
    const { version } = await this.streams.stream(workspaceId, streamId, change);
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
    private readonly streams: StreamCommands,
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
        await this.streams.stream(workspaceId, id, (now) => ({ type: 'Delete', now }));
        deleted++;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return { deleted };
  }
}
