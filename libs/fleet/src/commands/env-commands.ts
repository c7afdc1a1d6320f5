import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline } from '@streamplane/core';
import { instances } from '../domain/instance.decider';
import { envSecretContext } from '../secrets/env-secrets';
import { FleetSecrets } from '../secrets/fleet-secrets';

/** A value in clear, or one to keep sealed at rest and never show again. */
export type EnvValue = string | { value: string; secret?: boolean };

export class SetInstanceEnv extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly instanceId: string,
    readonly envs: Record<string, EnvValue>,
    readonly restart: boolean,
  ) {
    super();
  }
}

/** Secret values are sealed here, before the decider or any event sees them. */
@CommandHandler(SetInstanceEnv)
export class SetInstanceEnvHandler implements ICommandHandler<SetInstanceEnv> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly secrets: FleetSecrets,
  ) {}

  async execute({ workspaceId, instanceId, envs, restart }: SetInstanceEnv) {
    const set: Record<string, string> = {};
    const sealed: Record<string, string> = {};
    for (const [name, input] of Object.entries(envs)) {
      if (typeof input === 'string' || !input.secret) set[name] = typeof input === 'string' ? input : input.value;
      else sealed[name] = await this.secrets.seal(workspaceId, envSecretContext(workspaceId, instanceId, name), input.value);
    }
    const { version } = await this.pipeline.decide(instances, instanceId, { type: 'ChangeEnv', set, sealed, unset: [], restart }, { workspaceId });
    return { version };
  }
}
