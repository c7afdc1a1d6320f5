import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, EventCatalog, Migrator, PG_POOL } from '@streamplane/core';
import { UsersProjection } from '@streamplane/projections/identity/users/users.projection';
import { WorkspacesProjection } from '@streamplane/projections/identity/workspaces/workspaces.projection';
import { AccessChangeAnnouncer } from './auth/access-changes';
import { AuthCache } from './auth/auth-cache';
import { BearerGuard, PersonalTokenGuard, PlatformAdminGuard, SessionTokenGuard } from './auth/guards';
import { GuessGate } from './auth/guess-gate';
import { LocalStrategy } from './auth/local.strategy';
import { PasswordAttempts } from './auth/password-attempts';
import { TokenAuthenticator } from './auth/token-authenticator';
import { WorkspaceAccessGuard } from './auth/workspace-access.guard';
import * as flows from './commands/account-flows';
import { BootstrapAdmin } from './commands/bootstrap-admin';
import { InvitationAcceptance } from './commands/invitation-acceptance';
import { MailedTokens } from './commands/mailed-tokens';
import { PasswordResetRequests } from './commands/password-reset-requests';
import * as sessions from './commands/sessions-and-tokens';
import { SignUpHandler } from './commands/sign-up';
import * as ws from './commands/workspace-commands';
import { WorkspaceSlots } from './commands/workspace-slots';
import { ACTIVE_INSTANCE_COUNTER, ActiveInstanceSocket } from './domain/active-instances.port';
import { SEALED_DATA } from './domain/sealed-data.port';
import { userEvents, workspaceEvents, workspaceSlotEvents } from './events';
import { AdminMailController } from './http/admin-mail.controller';
import { AuthController } from './http/auth.controller';
import { InvitationInboxController } from './http/invitation-inbox.controller';
import { AdminLimitRequestsController, LimitRequestsController } from './http/limit-requests.controller';
import { AdminUsersController } from './http/admin-users.controller';
import { AdminDirectory } from './queries/admin-directory';
import { MeController } from './http/me.controller';
import { MembersController } from './http/members.controller';
import { TokensController } from './http/tokens.controller';
import { WorkspaceController, WorkspacesController } from './http/workspaces.controller';
import { MailReactor } from './mail/mail-reactor';
import { MailQueueRebuild } from './mail/mail-rebuild';
import { MAILER } from './mail/mailer';
import { OutboxMailer } from './mail/outbox-mailer';
import { SentMails } from './mail/sent-mails';
import { SmtpMailer } from './mail/smtp-mailer';
import { AccountEmails } from './queries/account-emails';
import { UserDirectory } from './queries/user-directory';
import { WorkspaceDirectory } from './queries/workspace-directory';
import { AuthTokenStore } from './stores/auth-token-store';
import { CredentialStore } from './stores/credential-store';
import { KeyStore } from './stores/key-store';
import { OneTimeTokenStore } from './stores/one-time-token-store';
import { CreateServiceTokenHandler, RevokeServiceTokenHandler } from './commands/service-tokens';
import { ServiceTokensController } from './http/service-tokens.controller';

const handlers = [
  SignUpHandler,
  flows.VerifyEmailHandler,
  flows.ResendVerificationHandler,
  flows.RequestPasswordResetHandler,
  flows.ConfirmPasswordResetHandler,
  flows.ChangePasswordHandler,
  flows.DeleteAccountHandler,
  sessions.StartSessionHandler,
  sessions.EndSessionHandler,
  sessions.CreateApiTokenHandler,
  sessions.RevokeApiTokenHandler,
  ws.ChangeWorkspaceHandler,
  ws.CreateWorkspaceHandler,
  ws.DeleteWorkspaceHandler,
  ws.TransferOwnershipHandler,
  ws.AddMemberHandler,
  ws.AcceptInvitationHandler,
  ws.CancelInvitationHandler,
  ws.DecideLimitRequestHandler,
  CreateServiceTokenHandler,
  RevokeServiceTokenHandler,
];

const auth = [AuthCache, TokenAuthenticator, LocalStrategy, BearerGuard, PlatformAdminGuard, SessionTokenGuard, PersonalTokenGuard, WorkspaceAccessGuard, WorkspaceDirectory];

/** Identity: accounts, credentials, sessions and API tokens, workspaces and their members, mail, platform admins. Global: every route authenticates. */
@Global()
@Module({
  imports: [PassportModule],
  controllers: [
    AuthController,
    MeController,
    TokensController,
    AdminMailController,
    WorkspacesController,
    WorkspaceController,
    MembersController,
    InvitationInboxController,
    LimitRequestsController,
    AdminLimitRequestsController,
    AdminUsersController,
    ServiceTokensController,
  ],
  providers: [
    ...handlers,
    ...auth,
    MailedTokens,
    MailReactor,
    SentMails,
    MailQueueRebuild,
    WorkspaceSlots,
    PasswordAttempts,
    GuessGate,
    PasswordResetRequests,
    BootstrapAdmin,
    UsersProjection,
    WorkspacesProjection,
    AccessChangeAnnouncer,
    InvitationAcceptance,
    AccountEmails,
    { provide: ACTIVE_INSTANCE_COUNTER, useClass: ActiveInstanceSocket },
    KeyStore,
    // What the users projection opens sealed emails with, inside its own transaction.
    { provide: SEALED_DATA, useExisting: KeyStore },
    CredentialStore,
    AuthTokenStore,
    OneTimeTokenStore,
    UserDirectory,
    AdminDirectory,
    {
      provide: MAILER,
      inject: [APP_CONFIG, PG_POOL],
      useFactory: (config: AppConfig, pool: Pool) =>
        config.mail.driver === 'smtp' ? new SmtpMailer(config.mail.smtpUrl!, config.mail.from) : new OutboxMailer(pool),
    },
  ],
  exports: [...auth, UserDirectory, AdminDirectory, ACTIVE_INSTANCE_COUNTER],
})
export class IdentityModule {
  constructor(migrator: Migrator, catalog: EventCatalog) {
    migrator.register({ name: 'identity', dir: join(__dirname, '..', 'migrations') });
    catalog.register(userEvents, workspaceEvents, workspaceSlotEvents);
  }
}
