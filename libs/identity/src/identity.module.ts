import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, EventCatalog, Migrator, PG_POOL } from '@streamplane/core';
import { UsersProjection } from '@streamplane/projections/identity/users/users.projection';
import { WorkspacesProjection } from '@streamplane/projections/identity/workspaces/workspaces.projection';
import * as ws from './workspaces/workspace-commands';
import { ACTIVE_INSTANCE_COUNTER, ActiveInstanceSocket } from './workspaces/active-instances.port';
import { InvitationAcceptance } from './workspaces/invitation-acceptance';
import { WorkspaceAccessGuard } from './workspaces/workspace-access.guard';
import { WorkspaceDirectory } from './workspaces/workspace-directory';
import { WORKSPACE_EVENT_KINDS } from './workspaces/workspace-event-kinds';
import { MembersController } from './workspaces/http/members.controller';
import { AdminLimitRequestsController, LimitRequestsController } from './workspaces/http/limit-requests.controller';
import { WorkspaceController, WorkspacesController } from './workspaces/http/workspaces.controller';
import { BearerStrategy } from './auth/bearer.strategy';
import { LocalStrategy } from './auth/local.strategy';
import { BearerGuard, PlatformAdminGuard, SessionTokenGuard } from './auth/guards';
import { PasswordAttempts } from './auth/password-attempts';
import { GuessGate } from './auth/guess-gate';
import { PasswordResetRequests } from './commands/password-reset-requests';
import { InvitationInboxController } from './workspaces/http/invitation-inbox.controller';
import { TokenAuthenticator } from './auth/token-authenticator';
import { AuthCache } from './auth/auth-cache';
import * as flows from './commands/account-flows';
import * as sessions from './commands/sessions-and-tokens';
import { BootstrapAdmin } from './commands/bootstrap-admin';
import { SignUpHandler } from './commands/sign-up';
import { UserCommands } from './commands/user-commands';
import { MailedTokens } from './commands/mailed-tokens';
import { USER_EVENT_KINDS } from './domain/user-event-kinds';
import { AdminMailController } from './http/admin-mail.controller';
import { AuthController } from './http/auth.controller';
import { MeController } from './http/me.controller';
import { TokensController } from './http/tokens.controller';
import { MailReactor } from './mail/mail-reactor';
import { MailQueueRebuild } from './mail/mail-rebuild';
import { MAILER } from './mail/mailer';
import { OutboxMailer } from './mail/outbox-mailer';
import { SentMails } from './mail/sent-mails';
import { SmtpMailer } from './mail/smtp-mailer';
import { AuthTokenStore } from './stores/auth-token-store';
import { CredentialStore } from './stores/credential-store';
import { KeyStore } from './stores/key-store';
import { OneTimeTokenStore } from './stores/one-time-token-store';
import { UserDirectory } from './stores/user-directory';

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
  ws.AddMemberHandler,
  ws.CancelInvitationHandler,
  ws.DecideLimitRequestHandler,
];

const auth = [AuthCache, TokenAuthenticator, BearerStrategy, LocalStrategy, BearerGuard, PlatformAdminGuard, SessionTokenGuard, WorkspaceAccessGuard, WorkspaceDirectory];

/** Identity: accounts, credentials, sessions and API tokens, mail, platform admins. Global: every route authenticates. */
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
  ],
  providers: [
    ...handlers,
    ...auth,
    UserCommands,
    MailedTokens,
    MailReactor,
    SentMails,
    MailQueueRebuild,
    PasswordAttempts,
    GuessGate,
    PasswordResetRequests,
    BootstrapAdmin,
    UsersProjection,
    WorkspacesProjection,
    ws.WorkspaceCommands,
    InvitationAcceptance,
    { provide: ACTIVE_INSTANCE_COUNTER, useClass: ActiveInstanceSocket },
    KeyStore,
    CredentialStore,
    AuthTokenStore,
    OneTimeTokenStore,
    UserDirectory,
    {
      provide: MAILER,
      inject: [APP_CONFIG, PG_POOL],
      useFactory: (config: AppConfig, pool: Pool) =>
        config.mail.driver === 'smtp' ? new SmtpMailer(config.mail.smtpUrl!, config.mail.from) : new OutboxMailer(pool),
    },
  ],
  exports: [...auth, UserDirectory, ACTIVE_INSTANCE_COUNTER],
})
export class IdentityModule {
  constructor(migrator: Migrator, catalog: EventCatalog) {
    migrator.register({ name: 'identity', dir: join(__dirname, '..', 'migrations') });
    catalog.registerLegacy(...USER_EVENT_KINDS, ...WORKSPACE_EVENT_KINDS);
  }
}
