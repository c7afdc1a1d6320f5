import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AuthTokenStore } from '../stores/auth-token-store';
import { UserView } from '../stores/user-directory';
import { UserCommands } from './user-commands';

export class StartSession extends Command<{ token: string; user: UserView }> {
  constructor(readonly user: UserView) {
    super();
  }
}

/** Sessions are credentials, not domain facts: they live in the token store only. */
@CommandHandler(StartSession)
export class StartSessionHandler implements ICommandHandler<StartSession> {
  constructor(private readonly tokens: AuthTokenStore) {}

  async execute({ user }: StartSession) {
    const { token } = await this.tokens.issue(user.id, 'session', { expiresAt: new Date(Date.now() + 30 * 24 * 3600 * 1000) });
    return { token, user };
  }
}

export class EndSession extends Command<void> {
  constructor(readonly tokenId: string) {
    super();
  }
}

@CommandHandler(EndSession)
export class EndSessionHandler implements ICommandHandler<EndSession> {
  constructor(private readonly tokens: AuthTokenStore) {}

  execute({ tokenId }: EndSession): Promise<void> {
    return this.tokens.revoke(tokenId);
  }
}

export class CreateApiToken extends Command<{ id: string; name: string; token: string }> {
  constructor(
    readonly userId: string,
    readonly name: string,
    readonly workspaceId: string | null,
    readonly expiresAt: Date | null,
  ) {
    super();
  }
}

/** API tokens are audited: their creation and revocation are events (the secret never is). */
@CommandHandler(CreateApiToken)
export class CreateApiTokenHandler implements ICommandHandler<CreateApiToken> {
  constructor(
    private readonly tokens: AuthTokenStore,
    private readonly users: UserCommands,
  ) {}

  async execute({ userId, name, workspaceId, expiresAt }: CreateApiToken) {
    const id = randomUUID();
    await this.users.run(userId, (now) => ({ type: 'CreateApiToken', tokenId: id, name, workspaceId, expiresAt, now }));
    const { token } = await this.tokens.issue(userId, 'api', { id, name, workspaceId, expiresAt });
    return { id, name, token };
  }
}

export class RevokeApiToken extends Command<void> {
  constructor(
    readonly userId: string,
    readonly tokenId: string,
  ) {
    super();
  }
}

@CommandHandler(RevokeApiToken)
export class RevokeApiTokenHandler implements ICommandHandler<RevokeApiToken> {
  constructor(
    private readonly tokens: AuthTokenStore,
    private readonly users: UserCommands,
  ) {}

  async execute({ userId, tokenId }: RevokeApiToken): Promise<void> {
    await this.users.run(userId, (now) => ({ type: 'RevokeApiToken', tokenId, now }));
    await this.tokens.revoke(tokenId);
  }
}
