import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { newEntityId, objectSchema, ReadModels } from '@streamplane/core';
import { PlatformAdmin } from '../auth/guards';
import { ChangeWorkspace, DecideLimitRequest } from '../commands/workspace-commands';
import { CurrentWorkspace, PeopleOnly, RequireRole, WorkspaceAccess, WorkspaceRoute } from '../auth/workspace-access.guard';
import { WorkspaceDirectory } from '../queries/workspace-directory';
import { LimitRequestBody, LimitRequestResponse } from './workspace.dto';

const DECISION = objectSchema({ id: { type: 'string', format: 'uuid' }, status: { type: 'string', enum: ['approved', 'rejected'] } });

@ApiTags('workspaces')
@ReadModels('identity')
@WorkspaceRoute()
@PeopleOnly()
@Controller('v1/workspaces/:workspace_id/limit-requests')
export class LimitRequestsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: WorkspaceDirectory,
  ) {}

  @Post()
  @RequireRole('admin')
  @ApiCreatedResponse({ type: LimitRequestResponse, description: 'pending until a platform admin decides' })
  async request(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: LimitRequestBody) {
    const id = newEntityId();
    await this.commands.execute(new ChangeWorkspace(workspace.id, { type: 'RequestInstanceLimit', requestId: id, desiredLimit: body.desired_limit, reason: body.reason }));
    return { id, workspace_id: workspace.id, desired_limit: body.desired_limit, reason: body.reason, status: 'pending' };
  }

  @Get()
  @ApiOkResponse({ type: [LimitRequestResponse], description: "the workspace's limit requests, oldest first" })
  list(@CurrentWorkspace() workspace: WorkspaceAccess) {
    return this.directory.limitRequests(workspace.id);
  }
}

@ApiTags('admin')
@PlatformAdmin()
@ReadModels('identity')
@Controller('v1/admin/limit-requests')
export class AdminLimitRequestsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: WorkspaceDirectory,
  ) {}

  @Get()
  @ApiOkResponse({ type: [LimitRequestResponse], description: 'every limit request, oldest first' })
  list() {
    return this.directory.limitRequests();
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOkResponse({ description: "approved: the workspace's instance limit is the desired one", schema: DECISION })
  approve(@Param('id', ParseUUIDPipe) id: string) {
    return this.decide(id, true);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOkResponse({ description: 'rejected', schema: DECISION })
  reject(@Param('id', ParseUUIDPipe) id: string) {
    return this.decide(id, false);
  }

  private async decide(id: string, approve: boolean) {
    await this.commands.execute(new DecideLimitRequest(id, approve));
    return { id, status: approve ? 'approved' : 'rejected' };
  }
}
