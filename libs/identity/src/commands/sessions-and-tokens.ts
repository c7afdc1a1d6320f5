import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, CLOCK, CommandPipeline } from '@streamplane/core';
import { users } from '../domain/user.decider';
import { AuthTokenStore } from '../stores/auth-token-store';
import { UserView } from '../queries/user-directory';

/** How long a session token works. */
export const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;

export class StartSession extends Command<{ token: string; user: UserView }> {
  constructor(readonly user: UserView) {
    super();
  }
}

/** Sessions are credentials, not domain facts: they live in the token store only. */
@CommandHandler(StartSession)
export class StartSessionHandler implements ICommandHandler<StartSession> {
  constructor(
    private readonly tokens: AuthTokenStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ user }: StartSession) {
    const { token } = await this.tokens.issue(user.id, 'session', { expiresAt: new Date(this.clock.now().getTime() + SESSION_LIFETIME_MS) });
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
    private readonly pipeline: CommandPipeline,
  ) {}

  async execute({ userId, name, workspaceId, expiresAt }: CreateApiToken) {
    const id = randomUUID();
    await this.pipeline.decide(users, userId, { type: 'CreateApiToken', tokenId: id, name, workspaceId, expiresAt });
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
    private readonly pipeline: CommandPipeline,
  ) {}

  async execute({ userId, tokenId }: RevokeApiToken): Promise<void> {
    await this.pipeline.decide(users, userId, { type: 'RevokeApiToken', tokenId });
    await this.tokens.revoke(tokenId);
  }
}
