import { Body, Controller, Header, HttpCode, Ip, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { objectSchema, RateLimitedAction, ReadModels, ShownOnce } from '@streamplane/core';
import { ConfirmPasswordReset, RequestPasswordReset, ResendVerification, VerifyEmail } from '../commands/account-flows';
import { EndSession, StartSession } from '../commands/sessions-and-tokens';
import { SignUp } from '../commands/sign-up';
import { Authenticated } from '../auth/guards';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { UserView } from '../queries/user-directory';
import { ConfirmResetBody, CredentialsBody, ResetPasswordBody, SignInBody, SignInResponse, UserResponse, VerifyBody } from './account.dto';
import { SignInGuard } from './sign-in.guard';

@ApiTags('auth')
@ReadModels('identity')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly commands: CommandBus) {}

  @Post('sign-up')
  @RateLimitedAction('sign-up')
  @ApiTooManyRequestsResponse({ description: 'too many sign-ups from this address' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiConflictResponse({ description: 'the email is taken' })
  signUp(@Body() body: CredentialsBody) {
    return this.commands.execute(new SignUp(body.email, body.password));
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the email is verified', schema: objectSchema({ verified: { type: 'boolean', enum: [true] } }) })
  @ApiUnauthorizedResponse({ description: 'invalid or expired token' })
  async verify(@Body() body: VerifyBody) {
    await this.commands.execute(new VerifyEmail(body.verification_token));
    return { verified: true };
  }

  @Post('resend-verification')
  @HttpCode(200)
  @ApiOkResponse({ description: 'a new verification mail is on its way', schema: objectSchema({ sent: { type: 'boolean', enum: [true] } }) })
  @ApiConflictResponse({ description: 'already verified' })
  @ApiTooManyRequestsResponse({ description: 'too many resends, or the account is locked by failed sign-ins' })
  @ApiUnauthorizedResponse({ description: 'wrong email or password (counted with failed sign-ins)' })
  async resend(@Body() body: CredentialsBody, @Ip() clientAddress: string) {
    await this.commands.execute(new ResendVerification(body.email, body.password, clientAddress));
    return { sent: true };
  }

  @Post('sign-in')
  @HttpCode(200)
  @UseGuards(SignInGuard)
  @ShownOnce('token')
  @Header('Cache-Control', 'no-store')
  @ApiBody({ type: SignInBody })
  @ApiOkResponse({ type: SignInResponse })
  @ApiUnauthorizedResponse({ description: 'wrong email or password' })
  @ApiForbiddenResponse({ description: 'email not verified' })
  @ApiTooManyRequestsResponse({ description: 'too many failed sign-ins' })
  signIn(@Req() request: { user: UserView }) {
    return this.commands.execute(new StartSession(request.user));
  }

  @Post('sign-out')
  @HttpCode(204)
  @Authenticated()
  @ApiNoContentResponse({ description: 'the session token stops working' })
  async signOut(@CurrentPrincipal() principal: Principal) {
    await this.commands.execute(new EndSession(principal.tokenId));
  }

  @Post('reset-password')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'whether or not the email exists', schema: objectSchema({ accepted: { type: 'boolean', enum: [true] } }) })
  async resetPassword(@Body() body: ResetPasswordBody) {
    await this.commands.execute(new RequestPasswordReset(body.email));
    return { accepted: true };
  }

  @Post('reset-password/confirm')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the password is changed and every session ended', schema: objectSchema({ reset: { type: 'boolean', enum: [true] } }) })
  @ApiForbiddenResponse({ description: 'invalid token' })
  async confirmReset(@Body() body: ConfirmResetBody) {
    await this.commands.execute(new ConfirmPasswordReset(body.user_id, body.token, body.password));
    return { reset: true };
  }
}
