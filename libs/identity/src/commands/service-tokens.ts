import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline } from '@streamplane/core';
import { ServiceScope } from '../domain/service-scopes';
import { workspaces } from '../domain/workspace.decider';
import { AuthTokenStore } from '../stores/auth-token-store';

export interface CreatedServiceToken {
  id: string;
  name: string;
  scopes: ServiceScope[];
  expires_at: string | null;
  token: string;
}

export class CreateServiceToken extends Command<CreatedServiceToken> {
  constructor(
    readonly workspaceId: string,
    readonly createdBy: string,
    readonly name: string,
    readonly scopes: ServiceScope[],
    readonly expiresAt: Date | null,
  ) {
    super();
  }
}

/** Recorded on the workspace's stream first (audited; the secret never is), then issued. */
@CommandHandler(CreateServiceToken)
export class CreateServiceTokenHandler implements ICommandHandler<CreateServiceToken> {
  constructor(
    private readonly tokens: AuthTokenStore,
    private readonly pipeline: CommandPipeline,
  ) {}

  async execute({ workspaceId, createdBy, name, scopes, expiresAt }: CreateServiceToken): Promise<CreatedServiceToken> {
    const id = randomUUID();
    const unique = [...new Set(scopes)].sort();
    await this.pipeline.decide(workspaces, workspaceId, { type: 'CreateServiceToken', tokenId: id, name, scopes: unique, expiresAt, createdBy }, { workspaceId });
    const { token } = await this.tokens.issueService(workspaceId, { id, name, scopes: unique, createdBy, expiresAt });
    return { id, name, scopes: unique, expires_at: expiresAt?.toISOString() ?? null, token };
  }
}

export class RevokeServiceToken extends Command<void> {
  constructor(
    readonly workspaceId: string,
    readonly tokenId: string,
  ) {
    super();
  }
}

@CommandHandler(RevokeServiceToken)
export class RevokeServiceTokenHandler implements ICommandHandler<RevokeServiceToken> {
  constructor(
    private readonly tokens: AuthTokenStore,
    private readonly pipeline: CommandPipeline,
  ) {}

  async execute({ workspaceId, tokenId }: RevokeServiceToken): Promise<void> {
    await this.pipeline.decide(workspaces, workspaceId, { type: 'RevokeServiceToken', tokenId }, { workspaceId });
    await this.tokens.revoke(tokenId);
  }
}
