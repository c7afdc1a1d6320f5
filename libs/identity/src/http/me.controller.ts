import { Body, Controller, Delete, Get, Header, HttpCode, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NotFoundError, objectSchema, ReadModels } from '@streamplane/core';
import { ChangePassword, DeleteAccount } from '../commands/account-flows';
import { SessionOnly } from '../auth/guards';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { UserDirectory } from '../queries/user-directory';
import { ChangePasswordBody, UserResponse } from './account.dto';

@ApiTags('me')
@SessionOnly()
@ReadModels('identity')
@Controller('v1/me')
export class MeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly users: UserDirectory,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentPrincipal() principal: Principal) {
    const user = await this.users.byId(principal.userId);
    if (!user) throw new NotFoundError('no such account');
    return user;
  }

  @Put('password')
  @ApiOkResponse({ description: 'changed; every other session ended', schema: objectSchema({ changed: { type: 'boolean', enum: [true] } }) })
  @ApiForbiddenResponse({ description: 'wrong old password' })
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordBody) {
    await this.commands.execute(new ChangePassword(principal.userId, principal.tokenId, body.old_password, body.new_password));
    return { changed: true };
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: "deleted; the account's personal data is unreadable in the log" })
  async delete(@CurrentPrincipal() principal: Principal) {
    await this.commands.execute(new DeleteAccount(principal.userId));
  }
}
