import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, AsOfQuery, NotFoundError, objectSchema, ReadModels, ValidationError } from '@streamplane/core';
import { CurrentWorkspace, RequireRole, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { JsonObject } from '@streamplane/core/domain';
import { ChangeStream, CreateStream, DeleteStreams, ReplaceStream, StreamInput } from '../commands/stream-lifecycle';
import { DEFAULT_AUTORESTART } from '../domain/stream.decider';
import { StreamsAsOf } from '../queries/streams-as-of';
import { StreamDirectory } from '../queries/stream-directory';
import { locationOf } from './location.dto';
import {
  CreateStreamBody,
  DeleteStreamsBody,
  LOG_TARGETS,
  StreamCountQuery,
  StreamListQuery,
  StreamLogResponse,
  StreamLogsQuery,
  StreamResponse,
  StreamWrittenResponse,
  UpdateStreamBody,
} from './stream.dto';

/**
 * The create/PUT body as the commands take it, with the contract's defaults filled in. Luna
 * clients name their account in the body: here that is the workspace of the path, or nothing.
 */
function inputOf(workspaceId: string, body: CreateStreamBody): StreamInput {
  if (body.account_id !== undefined && body.account_id.toLowerCase() !== workspaceId.toLowerCase()) {
    throw new ValidationError('the request has invalid fields', [{ field: 'account_id', message: "account_id must be this workspace's id (the workspace in the path)" }]);
  }
  return {
    spec: {
      name: body.name ?? '',
      description: body.description ?? '',
      data: body.data as JsonObject,
      event_handler: body.event_handler as JsonObject,
      policies: (body.policies ?? {}) as JsonObject,
      autorestart: { ...DEFAULT_AUTORESTART, ...body.autorestart },
      location: locationOf(body.location),
    },
    status: body.status ?? 'pending',
    groupName: body.group_name,
  };
}

@ApiTags('streams')
@ReadModels('streams')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/streams')
export class StreamsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly streams: StreamDirectory,
    private readonly asOf: StreamsAsOf,
  ) {}

  @Post()
  @RequireRole('member')
  @ApiCreatedResponse({ type: StreamWrittenResponse, description: '`pending` puts the stream on the processing queue' })
  async create(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: CreateStreamBody) {
    return await this.commands.execute(new CreateStream(workspace.id, inputOf(workspace.id, body)));
  }

  @Get()
  @ApiPageResponse(StreamResponse, 'streams matching every filter given, oldest first', true)
  async list(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: StreamListQuery) {
    return this.streams.list(workspace.id, query, query);
  }

  @Get('count')
  @ApiOkResponse({ schema: objectSchema({ count: { type: 'integer' } }) })
  async count(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: StreamCountQuery) {
    return { count: await this.streams.count(workspace.id, query) };
  }

  @Delete()
  @HttpCode(200)
  @RequireRole('member')
  @ApiOkResponse({ schema: objectSchema({ deleted: { type: 'integer' } }), description: 'streams matching any id or name are deleted' })
  async deleteMany(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: DeleteStreamsBody) {
    if (!body.stream_ids?.length && !body.names?.length) {
      throw new ValidationError('nothing to delete', [{ field: 'stream_ids', message: 'give stream_ids or names (or both)' }]);
    }
    return this.commands.execute(new DeleteStreams(workspace.id, body.stream_ids ?? [], body.names ?? []));
  }

  @Get('logs')
  @ApiPageResponse(StreamLogResponse, 'one row per status change, oldest first; `targets` picks the fields', true)
  async logs(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: StreamLogsQuery) {
    const { targets: picked, ...filters } = query;
    const page = await this.streams.logs(workspace.id, filters, query);
    const targets: readonly string[] = picked?.length ? picked : LOG_TARGETS;
    return { ...page, items: page.items.map((row) => Object.fromEntries(targets.map((t) => [t, row[t]]))) };
  }

  @Get(':stream_id')
  @ApiOkResponse({ type: StreamResponse, description: 'the stream now, or with `as_of`/`as_of_position` as it was then' })
  @ApiBadRequestResponse({ description: 'an unparsable as_of or as_of_position, or both given' })
  async get(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('stream_id', ParseUUIDPipe) streamId: string, @Query() query: AsOfQuery) {
    const point = AsOfQuery.pointOf(query);
    const view = point ? await this.asOf.stream(workspace.id, streamId, point) : await this.streams.get(workspace.id, streamId);
    if (!view) throw new NotFoundError('no such stream');
    return view;
  }

  @Patch(':stream_id')
  @RequireRole('member')
  @ApiOkResponse({ type: StreamWrittenResponse })
  @ApiBadRequestResponse({ description: 'no field given, or a status change the current status forbids' })
  async update(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('stream_id', ParseUUIDPipe) streamId: string, @Body() body: UpdateStreamBody) {
    if (body.description === undefined && body.status === undefined) {
      throw new ValidationError('nothing to change', [{ field: 'body', message: 'give description or status' }]);
    }
    return await this.commands.execute(new ChangeStream(workspace.id, streamId, { type: 'Update', description: body.description, status: body.status }));
  }

  @Put(':stream_id')
  @RequireRole('member')
  @ApiOkResponse({ type: StreamWrittenResponse, description: 'the stream replaced whole; version + 1' })
  async replace(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('stream_id', ParseUUIDPipe) streamId: string, @Body() body: CreateStreamBody) {
    return await this.commands.execute(new ReplaceStream(workspace.id, streamId, inputOf(workspace.id, body)));
  }

  @Delete(':stream_id')
  @HttpCode(204)
  @RequireRole('member')
  @ApiNoContentResponse({ description: 'deleted; a queued stream leaves the queue' })
  async delete(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('stream_id', ParseUUIDPipe) streamId: string) {
    await this.commands.execute(new ChangeStream(workspace.id, streamId, { type: 'Delete' }));
  }
}
