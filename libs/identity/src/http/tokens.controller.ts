import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Clock, CLOCK, NotFoundError, ShownOnce } from '@streamplane/core';
import { CreateApiToken, RevokeApiToken } from '../commands/sessions-and-tokens';
import { SessionOnly } from '../auth/guards';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { AuthTokenStore } from '../stores/auth-token-store';
import { WorkspaceDirectory } from '../queries/workspace-directory';
import { ApiTokenResponse, CreatedTokenResponse, CreateTokenBody, futureExpiry } from './token.dto';

@ApiTags('tokens')
@SessionOnly()
@Controller('v1/tokens')
export class TokensController {
  constructor(
    private readonly commands: CommandBus,
    private readonly tokens: AuthTokenStore,
    private readonly workspaces: WorkspaceDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOkResponse({ type: [ApiTokenResponse] })
  list(@CurrentPrincipal() principal: Principal) {
    return this.tokens.listApiTokens(principal.userId);
  }

  @Post()
  @ShownOnce('token')
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: CreatedTokenResponse })
  @ApiConflictResponse({ description: 'a replay of an Idempotency-Key: the token was created but is shown only once' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateTokenBody) {
    const expiresAt = futureExpiry(body.expires_at, this.clock.now());
    if (body.workspace_id && !(await this.workspaces.roleOf(body.workspace_id, principal.userId))) throw new NotFoundError('no such workspace');
    return this.commands.execute(new CreateApiToken(principal.userId, body.name, body.workspace_id ?? null, expiresAt));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiNotFoundResponse({ description: 'no such token of yours' })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    const mine = await this.tokens.listApiTokens(principal.userId);
    if (!mine.some((t) => t.id === id)) throw new NotFoundError('no such token');
    await this.commands.execute(new RevokeApiToken(principal.userId, id));
  }
}
