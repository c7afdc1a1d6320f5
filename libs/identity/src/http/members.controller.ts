import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { objectSchema, RateLimitedAction, ReadModels } from '@streamplane/core';
import { AddMember, CancelInvitation, ChangeWorkspace, TransferOwnership } from '../commands/workspace-commands';
import { CurrentWorkspace, PeopleOnly, RequireRole, WorkspaceAccess, WorkspaceRoute } from '../auth/workspace-access.guard';
import { ASSIGNABLE_ROLES } from '../domain/roles';
import { WorkspaceDirectory } from '../queries/workspace-directory';
import { AddedMemberResponse, AddMemberBody, ChangeRoleBody, InvitationResponse, MemberResponse, TransferOwnershipBody } from './workspace.dto';

@ApiTags('workspaces')
@ReadModels('identity')
@WorkspaceRoute()
@PeopleOnly()
@Controller('v1/workspaces/:workspace_id')
export class MembersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: WorkspaceDirectory,
  ) {}

  @Get('members')
  @ApiOkResponse({ type: [MemberResponse], description: 'oldest member first; `email` is null once an account is deleted' })
  members(@CurrentWorkspace() workspace: WorkspaceAccess) {
    return this.directory.members(workspace.id);
  }

  @Post('members')
  @RequireRole('admin')
  @RateLimitedAction('invitations')
  @ApiCreatedResponse({ type: AddedMemberResponse, description: 'every email is invited (`invited`), whether or not it has an account; the account accepts' })
  async addMember(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: AddMemberBody) {
    const view = await this.directory.get(workspace.id, workspace.principal.userId);
    return this.commands.execute(new AddMember(workspace.id, view?.name ?? 'a workspace', body.email, body.role));
  }

  @Patch('members/:user_id')
  @RequireRole('admin')
  @ApiOkResponse({
    description: 'the new role; 403 for the owner',
    schema: objectSchema({ user_id: { type: 'string', format: 'uuid' }, role: { type: 'string', enum: [...ASSIGNABLE_ROLES] }, version: { type: 'integer' } }),
  })
  async changeRole(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('user_id', ParseUUIDPipe) userId: string, @Body() body: ChangeRoleBody) {
    const { version } = await this.commands.execute(new ChangeWorkspace(workspace.id, { type: 'ChangeRole', userId, role: body.role }));
    return { user_id: userId, role: body.role, version };
  }

  @Delete('members/:user_id')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiNoContentResponse({ description: 'removed; 403 for the owner' })
  async removeMember(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('user_id', ParseUUIDPipe) userId: string) {
    await this.commands.execute(new ChangeWorkspace(workspace.id, { type: 'RemoveMember', userId }));
  }

  @Get('invitations')
  @RequireRole('admin')
  @ApiOkResponse({ type: [InvitationResponse], description: 'pending invitations, oldest first' })
  invitations(@CurrentWorkspace() workspace: WorkspaceAccess) {
    return this.directory.invitations(workspace.id);
  }

  @Delete('invitations/:invitation_id')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiNoContentResponse({ description: 'cancelled' })
  async cancelInvitation(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('invitation_id', ParseUUIDPipe) invitationId: string) {
    await this.commands.execute(new CancelInvitation(workspace.id, invitationId));
  }

  @Post('transfer-ownership')
  @HttpCode(200)
  @RequireRole('owner')
  @ApiOkResponse({
    description: 'the new owner; the old one is now admin. 400 if the new owner is not a member, 403 if they already own MAX_WORKSPACES_PER_USER workspaces',
    schema: objectSchema({ owner_id: { type: 'string', format: 'uuid' }, version: { type: 'integer' } }),
  })
  async transfer(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: TransferOwnershipBody) {
    const { version } = await this.commands.execute(new TransferOwnership(workspace.id, body.user_id));
    return { owner_id: body.user_id, version };
  }
}
