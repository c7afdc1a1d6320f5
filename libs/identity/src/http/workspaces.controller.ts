import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, NotFoundError, PageQuery, ReadModels, ValidationError } from '@streamplane/core';
import { Authenticated, SessionOnly } from '../auth/guards';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { ChangeWorkspace, CreateWorkspace, DeleteWorkspace } from '../commands/workspace-commands';
import { CurrentWorkspace, PeopleOnly, RequireRole, WorkspaceAccess, WorkspaceRoute } from '../auth/workspace-access.guard';
import { WorkspaceDirectory } from '../queries/workspace-directory';
import { CreateWorkspaceBody, UpdateWorkspaceBody, WorkspaceResponse } from './workspace.dto';

@ApiTags('workspaces')
@ReadModels('identity')
@Controller('v1/workspaces')
export class WorkspacesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: WorkspaceDirectory,
  ) {}

  @Post()
  @SessionOnly()
  @ApiCreatedResponse({ type: WorkspaceResponse })
  @ApiForbiddenResponse({ description: 'the caller already owns MAX_WORKSPACES_PER_USER workspaces (platform admins have no cap), or used an API token' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWorkspaceBody) {
    return this.commands.execute(new CreateWorkspace(principal.userId, body.name, body.description ?? '', principal.isPlatformAdmin));
  }

  @Get()
  @Authenticated()
  @ApiPageResponse(WorkspaceResponse, "the caller's workspaces, oldest first, each with the caller's role")
  async list(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery) {
    const { page, pageSize } = PageQuery.resolve(query);
    const { items, total } = await this.directory.listFor(principal.userId, page, pageSize, principal.workspaceId ?? undefined);
    return { items, page, page_size: pageSize, total };
  }
}

@ApiTags('workspaces')
@ReadModels('identity')
@WorkspaceRoute()
@PeopleOnly()
@Controller('v1/workspaces/:workspace_id')
export class WorkspaceController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: WorkspaceDirectory,
  ) {}

  @Get()
  @ApiOkResponse({ type: WorkspaceResponse })
  async get(@CurrentWorkspace() workspace: WorkspaceAccess) {
    const view = await this.directory.get(workspace.id, workspace.principal.userId);
    if (!view) throw new NotFoundError('no such workspace');
    return view;
  }

  @Patch()
  @RequireRole('admin')
  @ApiOkResponse({ type: WorkspaceResponse })
  async update(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: UpdateWorkspaceBody) {
    if (body.name === undefined && body.description === undefined) {
      throw new ValidationError('nothing to change', [{ field: 'body', message: 'give name or description' }]);
    }
    const { version } = await this.commands.execute(new ChangeWorkspace(workspace.id, { type: 'Update', name: body.name, description: body.description }));
    const view = await this.directory.get(workspace.id, workspace.principal.userId);
    return { ...view!, ...(body.name !== undefined && { name: body.name }), ...(body.description !== undefined && { description: body.description }), version };
  }

  @Delete()
  @HttpCode(204)
  @RequireRole('owner')
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiBadRequestResponse({ description: 'it still has instances that are not archived' })
  async delete(@CurrentWorkspace() workspace: WorkspaceAccess) {
    await this.commands.execute(new DeleteWorkspace(workspace.id));
  }
}
