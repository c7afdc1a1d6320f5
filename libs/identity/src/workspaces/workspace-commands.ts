import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, CLOCK, CommandPipeline, newEntityId, NotFoundError } from '@streamplane/core';
import { KeyStore } from '../stores/key-store';
import { ACTIVE_INSTANCE_COUNTER, ActiveInstanceCounter } from './active-instances.port';
import { AssignableRole } from './roles';
import { DEFAULT_INSTANCE_LIMIT, WorkspaceCommand, workspaceDecider, workspaceStream } from './workspace.decider';

export const emailHash = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

/** Runs a workspace command through the pipeline, tagging its events with the tenant. */
@Injectable()
export class WorkspaceCommands {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(CLOCK) readonly clock: Clock,
  ) {}

  async run(workspaceId: string, command: (now: Date) => WorkspaceCommand) {
    const outcome = await this.pipeline.run({ stream: workspaceStream(workspaceId), decider: workspaceDecider, command: command(this.clock.now()), workspaceId });
    return { version: outcome.version, state: outcome.state };
  }
}

/** Any change that answers with the workspace's new version. */
export class ChangeWorkspace extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly change: (now: Date) => WorkspaceCommand,
  ) {
    super();
  }
}

@CommandHandler(ChangeWorkspace)
export class ChangeWorkspaceHandler implements ICommandHandler<ChangeWorkspace> {
  constructor(private readonly workspaces: WorkspaceCommands) {}

  async execute({ workspaceId, change }: ChangeWorkspace) {
    return { version: (await this.workspaces.run(workspaceId, change)).version };
  }
}

export class CreateWorkspace extends Command<{ id: string; name: string; description: string; owner_id: string; role: 'owner'; instance_limit: number; created_at: string; version: number }> {
  constructor(
    readonly ownerId: string,
    readonly name: string,
    readonly description: string,
  ) {
    super();
  }
}

@CommandHandler(CreateWorkspace)
export class CreateWorkspaceHandler implements ICommandHandler<CreateWorkspace> {
  constructor(private readonly workspaces: WorkspaceCommands) {}

  async execute({ ownerId, name, description }: CreateWorkspace) {
    const id = newEntityId();
    const now = this.workspaces.clock.now();
    const { version } = await this.workspaces.run(id, () => ({ type: 'Create', workspaceId: id, name, description, ownerId, instanceLimit: DEFAULT_INSTANCE_LIMIT, now }));
    return { id, name, description, owner_id: ownerId, role: 'owner' as const, instance_limit: DEFAULT_INSTANCE_LIMIT, created_at: now.toISOString(), version };
  }
}

export class DeleteWorkspace extends Command<void> {
  constructor(readonly workspaceId: string) {
    super();
  }
}

@CommandHandler(DeleteWorkspace)
export class DeleteWorkspaceHandler implements ICommandHandler<DeleteWorkspace> {
  constructor(
    private readonly workspaces: WorkspaceCommands,
    @Inject(ACTIVE_INSTANCE_COUNTER) private readonly instances: ActiveInstanceCounter,
  ) {}

  async execute({ workspaceId }: DeleteWorkspace) {
    const activeInstances = await this.instances.count(workspaceId);
    await this.workspaces.run(workspaceId, (now) => ({ type: 'Delete', activeInstances, now }));
  }
}

/** Always an invitation: the answer must not tell whether the email has an account. */
export type AddMemberResult = { status: 'invited'; invitation_id: string; email: string; role: AssignableRole };

export class AddMember extends Command<AddMemberResult> {
  constructor(
    readonly workspaceId: string,
    readonly workspaceName: string,
    readonly email: string,
    readonly role: AssignableRole,
  ) {
    super();
  }
}

/**
 * Every email gets an invitation, account or not, with the same answer and the same work: joining
 * at once told the inviter that the account existed, and put people in workspaces without their
 * consent. An existing account accepts it (`POST /v1/me/invitations/{id}/accept`); a new one
 * accepts by signing up and verifying the email.
 */
@CommandHandler(AddMember)
export class AddMemberHandler implements ICommandHandler<AddMember> {
  constructor(
    private readonly workspaces: WorkspaceCommands,
    private readonly keys: KeyStore,
  ) {}

  async execute({ workspaceId, workspaceName, email, role }: AddMember): Promise<AddMemberResult> {
    const invitationId = newEntityId();
    // The invitee's email is personal data: sealed with the invitation's own key, shredded with it.
    const sealedEmail = await this.keys.seal(invitationId, email.trim());
    // The mail reactor sends the invitation from the event: a failed mail can no longer fail (or half do) the request.
    await this.workspaces.run(workspaceId, (now) => ({ type: 'Invite', invitationId, sealedEmail, emailHash: emailHash(email), role, workspaceName, now }));
    return { status: 'invited', invitation_id: invitationId, email: email.trim(), role };
  }
}

export class CancelInvitation extends Command<void> {
  constructor(
    readonly workspaceId: string,
    readonly invitationId: string,
  ) {
    super();
  }
}

@CommandHandler(CancelInvitation)
export class CancelInvitationHandler implements ICommandHandler<CancelInvitation> {
  constructor(
    private readonly workspaces: WorkspaceCommands,
    private readonly keys: KeyStore,
  ) {}

  async execute({ workspaceId, invitationId }: CancelInvitation) {
    await this.workspaces.run(workspaceId, (now) => ({ type: 'CancelInvitation', invitationId, now }));
    await this.keys.shred(invitationId);
  }
}

export class DecideLimitRequest extends Command<{ version: number }> {
  constructor(
    readonly requestId: string,
    readonly approve: boolean,
    readonly workspaceIdOf: (requestId: string) => Promise<string | undefined>,
  ) {
    super();
  }
}

@CommandHandler(DecideLimitRequest)
export class DecideLimitRequestHandler implements ICommandHandler<DecideLimitRequest> {
  constructor(private readonly workspaces: WorkspaceCommands) {}

  async execute({ requestId, approve, workspaceIdOf }: DecideLimitRequest) {
    const workspaceId = await workspaceIdOf(requestId);
    if (!workspaceId) throw new NotFoundError('no such limit request');
    return { version: (await this.workspaces.run(workspaceId, (now) => ({ type: 'DecideInstanceLimit', requestId, approve, now }))).version };
  }
}
