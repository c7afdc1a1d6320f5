import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, PageQuery, ReadModels } from '@streamplane/core';
import { PlatformAdmin } from '../auth/guards';
import { ChangeWorkspace } from '../commands/workspace-commands';
import { AdminDirectory } from '../queries/admin-directory';
import { AdminUserResponse, AdminUsersQuery, InstanceLimitBody, InstanceLimitResponse } from './admin-directory.dto';

/** The platform admins' view of accounts, and their direct say over a workspace's instance limit. */
@ApiTags('admin')
@PlatformAdmin()
@ReadModels('identity')
@Controller('v1/admin')
export class AdminUsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: AdminDirectory,
  ) {}

  @Get('users')
  @ApiBadRequestResponse({ description: 'is_platform_admin not true or false, or paging out of range' })
  @ApiPageResponse(AdminUserResponse, 'every live account, oldest first, with how many workspaces it belongs to')
  async users(@Query() query: AdminUsersQuery) {
    const { page, pageSize, offset } = PageQuery.resolve(query);
    const { items, total } = await this.directory.users({ email: query.email, isPlatformAdmin: query.is_platform_admin }, pageSize, offset);
    return { items, page, page_size: pageSize, total };
  }

  @Put('workspaces/:workspace_id/limit')
  @ApiOkResponse({ type: InstanceLimitResponse, description: 'the limit holds for the next instance request; instances over it keep running' })
  @ApiBadRequestResponse({ description: 'instance_limit is not a whole number from 0 to 10000' })
  @ApiNotFoundResponse({ description: 'no such workspace' })
  async setLimit(@Param('workspace_id', ParseUUIDPipe) workspaceId: string, @Body() body: InstanceLimitBody) {
    const { version } = await this.commands.execute(new ChangeWorkspace(workspaceId, { type: 'SetInstanceLimit', instanceLimit: body.instance_limit }));
    return { workspace_id: workspaceId, instance_limit: body.instance_limit, version };
  }
}
