import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, AsOfQuery, ConsistencyService, NotFoundError, objectSchema, ReadModels } from '@streamplane/core';
import { CurrentWorkspace, RequireRole, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { ChangeGroup, CreateGroup, DeleteGroup, LinkStreams } from '../commands/group-commands';
import { GroupDirectory } from '../queries/group-directory';
import { StreamsAsOf } from '../queries/streams-as-of';
import { CreateGroupBody, GroupListQuery, GroupResponse, LinkStreamsBody, UpdateGroupBody } from './group.dto';

@ApiTags('groups')
@ReadModels('streams')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/groups')
export class GroupsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly groups: GroupDirectory,
    private readonly consistency: ConsistencyService,
    private readonly asOf: StreamsAsOf,
  ) {}

  @Post()
  @RequireRole('member')
  @ApiCreatedResponse({ schema: objectSchema({ group_id: { type: 'string', format: 'uuid' }, group_name: { type: 'string' } }) })
  @ApiConflictResponse({ description: 'the workspace already has a group of that name' })
  create(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: CreateGroupBody) {
    return this.commands.execute(new CreateGroup(workspace.id, body.group_name, body.description ?? ''));
  }

  @Get()
  @ApiPageResponse(GroupResponse, 'groups matching the filters, oldest first', true)
  async list(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: GroupListQuery) {
    return this.groups.list(workspace.id, query, query);
  }

  @Get('count')
  @ApiOkResponse({ schema: objectSchema({ count: { type: 'integer' } }) })
  async count(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: GroupListQuery) {
    return { count: await this.groups.count(workspace.id, query) };
  }

  @Get(':group_id')
  @ApiOkResponse({ type: GroupResponse, description: 'the group now, or with `as_of`/`as_of_position` as it was then' })
  @ApiBadRequestResponse({ description: 'an unparsable as_of or as_of_position, or both given' })
  async get(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('group_id', ParseUUIDPipe) groupId: string, @Query() query: AsOfQuery) {
    const point = AsOfQuery.pointOf(query);
    return this.found(point ? await this.asOf.group(workspace.id, groupId, point) : await this.groups.get(workspace.id, groupId));
  }

  @Patch(':group_id')
  @RequireRole('member')
  @ApiOkResponse({ type: GroupResponse })
  async update(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('group_id', ParseUUIDPipe) groupId: string, @Body() body: UpdateGroupBody) {
    await this.commands.execute(new ChangeGroup(workspace.id, groupId, { type: 'Update', description: body.description }));
    return this.afterWrite(workspace.id, groupId);
  }

  @Delete(':group_id')
  @HttpCode(204)
  @RequireRole('member')
  @ApiNoContentResponse({ description: 'deleted; its streams stay, outside any group; the name is free again' })
  async delete(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('group_id', ParseUUIDPipe) groupId: string) {
    await this.commands.execute(new DeleteGroup(workspace.id, groupId));
  }

  @Post(':group_id/streams')
  @HttpCode(200)
  @RequireRole('member')
  @ApiOkResponse({ type: GroupResponse, description: 'the group with its new stream_count' })
  async link(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('group_id', ParseUUIDPipe) groupId: string, @Body() body: LinkStreamsBody) {
    await this.commands.execute(new LinkStreams(workspace.id, groupId, body.action, body.stream_ids));
    return this.afterWrite(workspace.id, groupId);
  }

  private async afterWrite(workspaceId: string, groupId: string) {
    await this.consistency.waitForOwnWrites(['streams']);
    return this.found(await this.groups.get(workspaceId, groupId));
  }

  private found<T>(view: T | undefined): T {
    if (!view) throw new NotFoundError('no such group');
    return view;
  }
}
