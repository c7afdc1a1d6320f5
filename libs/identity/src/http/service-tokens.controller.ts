import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Clock, CLOCK, ShownOnce } from '@streamplane/core';
import { CreateServiceToken, RevokeServiceToken } from '../commands/service-tokens';
import { CurrentWorkspace, PeopleOnly, RequireRole, WorkspaceAccess, WorkspaceRoute } from '../auth/workspace-access.guard';
import { AuthTokenStore } from '../stores/auth-token-store';
import { CreatedServiceTokenResponse, CreateServiceTokenBody, ServiceTokenResponse } from './service-token.dto';
import { futureExpiry } from './token.dto';

/** Workspace-owned tokens for automation (a stream handler): made and revoked by the workspace's admins. */
@ApiTags('service-tokens')
@WorkspaceRoute()
@PeopleOnly()
@RequireRole('admin')
@Controller('v1/workspaces/:workspace_id/service-tokens')
export class ServiceTokensController {
  constructor(
    private readonly commands: CommandBus,
    private readonly tokens: AuthTokenStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOkResponse({ type: [ServiceTokenResponse] })
  list(@CurrentWorkspace() workspace: WorkspaceAccess) {
    return this.tokens.listServiceTokens(workspace.id);
  }

  @Post()
  @ShownOnce('token')
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: CreatedServiceTokenResponse })
  @ApiConflictResponse({ description: 'a replay of an Idempotency-Key: the token was created but is shown only once' })
  create(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: CreateServiceTokenBody) {
    const expiresAt = futureExpiry(body.expires_at, this.clock.now());
    return this.commands.execute(new CreateServiceToken(workspace.id, workspace.principal.userId, body.name, body.scopes, expiresAt));
  }

  @Delete(':token_id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'revoked: it stops working at once, in every process' })
  @ApiNotFoundResponse({ description: 'no such service token in this workspace' })
  async revoke(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('token_id', ParseUUIDPipe) tokenId: string) {
    await this.commands.execute(new RevokeServiceToken(workspace.id, tokenId));
  }
}
