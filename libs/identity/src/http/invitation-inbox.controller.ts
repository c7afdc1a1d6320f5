import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NotFoundError, objectSchema, ReadModels } from '@streamplane/core';
import { SessionOnly } from '../auth/guards';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { AcceptInvitation } from '../commands/workspace-commands';
import { emailHash } from '../domain/email';
import { ASSIGNABLE_ROLES } from '../domain/roles';
import { UserDirectory } from '../queries/user-directory';
import { WorkspaceDirectory } from '../queries/workspace-directory';

const INVITATION = objectSchema({
  id: { type: 'string', format: 'uuid' },
  workspace_id: { type: 'string', format: 'uuid' },
  workspace_name: { type: 'string', nullable: true },
  role: { type: 'string', enum: [...ASSIGNABLE_ROLES] },
  created_at: { type: 'string', format: 'date-time' },
});

/** The signed-in person's pending invitations: joining a workspace takes their consent. */
@ApiTags('me')
@SessionOnly()
@ReadModels('identity')
@Controller('v1/me/invitations')
export class InvitationInboxController {
  constructor(
    private readonly commands: CommandBus,
    private readonly users: UserDirectory,
    private readonly workspaces: WorkspaceDirectory,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'invitations to this account’s email, oldest first', schema: { type: 'array', items: INVITATION } })
  async list(@CurrentPrincipal() principal: Principal) {
    return this.workspaces.invitationsOf(await this.myEmailHash(principal));
  }

  @Post(':invitation_id/accept')
  @HttpCode(200)
  @ApiOkResponse({ description: 'joined the workspace with the invited role', schema: objectSchema({ workspace_id: { type: 'string', format: 'uuid' }, role: { type: 'string' }, version: { type: 'integer' } }) })
  @ApiNotFoundResponse({ description: 'no pending invitation with this id for this account’s email' })
  async accept(@CurrentPrincipal() principal: Principal, @Param('invitation_id', ParseUUIDPipe) invitationId: string) {
    const invitation = (await this.workspaces.invitationsOf(await this.myEmailHash(principal))).find((i) => i.id === invitationId);
    if (!invitation) throw new NotFoundError('no such invitation');
    const { version } = await this.commands.execute(new AcceptInvitation(invitation.workspace_id, invitationId, principal.userId));
    return { workspace_id: invitation.workspace_id, role: invitation.role, version };
  }

  private async myEmailHash(principal: Principal): Promise<string> {
    const me = await this.users.byId(principal.userId);
    if (!me) throw new NotFoundError('no such account');
    return emailHash(me.email);
  }
}
