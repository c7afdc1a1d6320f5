import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, newEntityId, NotFoundError, Untimed } from '@streamplane/core';
import { KeyStore } from '../stores/key-store';
import { ACTIVE_INSTANCE_COUNTER, ActiveInstanceCounter } from '../domain/active-instances.port';
import { emailHash } from '../domain/email';
import { AssignableRole } from '../domain/roles';
import { DEFAULT_INSTANCE_LIMIT, WorkspaceCommand, workspaces } from '../domain/workspace.decider';
import { UserDirectory } from '../queries/user-directory';
import { WorkspaceDirectory } from '../queries/workspace-directory';
import { WorkspaceSlots } from './workspace-slots';

/** A change the decider tells apart by its type, as data; answers with the workspace's new version. */
export type WorkspaceChange = Untimed<Exclude<WorkspaceCommand, { type: 'Create' | 'Delete' | 'TransferOwnership' | 'Invite' | 'AcceptInvitation' | 'CancelInvitation' | 'DecideInstanceLimit' }>>;

/** Any plain change of a workspace (settings, members, roles, a limit request, a platform admin's limit). */
export class ChangeWorkspace extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly change: WorkspaceChange,
  ) {
    super();
  }
}

@CommandHandler(ChangeWorkspace)
export class ChangeWorkspaceHandler implements ICommandHandler<ChangeWorkspace> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ workspaceId, change }: ChangeWorkspace) {
    const { version } = await this.pipeline.decide(workspaces, workspaceId, change, { workspaceId });
    return { version };
  }
}

export class CreateWorkspace extends Command<{ id: string; name: string; description: string; owner_id: string; role: 'owner'; instance_limit: number; created_at: string; version: number }> {
  constructor(
    readonly ownerId: string,
    readonly name: string,
    readonly description: string,
    /** Platform admins have no workspace cap. */
    readonly ownerIsPlatformAdmin: boolean,
  ) {
    super();
  }
}

/** Takes a slot of the owner's workspace cap first (403 at the cap), then writes the workspace. */
@CommandHandler(CreateWorkspace)
export class CreateWorkspaceHandler implements ICommandHandler<CreateWorkspace> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly slots: WorkspaceSlots,
  ) {}

  async execute({ ownerId, name, description, ownerIsPlatformAdmin }: CreateWorkspace) {
    const id = newEntityId();
    await this.slots.take(ownerId, id, ownerIsPlatformAdmin);
    const change = { type: 'Create', workspaceId: id, name, description, ownerId, instanceLimit: DEFAULT_INSTANCE_LIMIT } as const;
    const { version, events } = await this.pipeline.decide(workspaces, id, change, { workspaceId: id }).catch(async (error: unknown) => {
      await this.slots.release(ownerId, id).catch(() => undefined);
      throw error;
    });
    // The creation time is the event's, so the answer and the read model agree to the millisecond.
    const createdAt = events[0].data.at;
    return { id, name, description, owner_id: ownerId, role: 'owner' as const, instance_limit: DEFAULT_INSTANCE_LIMIT, created_at: createdAt, version };
  }
}

export class DeleteWorkspace extends Command<void> {
  constructor(readonly workspaceId: string) {
    super();
  }
}

/**
 * Asks the fleet how many instances are not archived: the decider refuses while there are any.
 * The owner's slot is given back after the deletion (a crash in between leaves it to be
 * reclaimed when the owner is next at the cap).
 */
@CommandHandler(DeleteWorkspace)
export class DeleteWorkspaceHandler implements ICommandHandler<DeleteWorkspace> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly slots: WorkspaceSlots,
    @Inject(ACTIVE_INSTANCE_COUNTER) private readonly instances: ActiveInstanceCounter,
  ) {}

  async execute({ workspaceId }: DeleteWorkspace) {
    const activeInstances = await this.instances.count(workspaceId);
    const { state } = await this.pipeline.decide(workspaces, workspaceId, { type: 'Delete', activeInstances }, { workspaceId });
    await this.slots.release(state.ownerId!, workspaceId);
  }
}

export class TransferOwnership extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly toUserId: string,
  ) {
    super();
  }
}

/**
 * The slot moves with the workspace: the new owner takes one first (403 at their cap), then the
 * ownership moves, then the old owner's slot is given back. A crash in between leaves a slot
 * that the next Take at the cap reclaims (its workspace is not its holder's).
 */
@CommandHandler(TransferOwnership)
export class TransferOwnershipHandler implements ICommandHandler<TransferOwnership> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly slots: WorkspaceSlots,
    private readonly users: UserDirectory,
  ) {}

  async execute({ workspaceId, toUserId }: TransferOwnership) {
    const before = await this.pipeline.loadEntity(workspaces, workspaceId);
    const handsOn = before.status === 'active' && toUserId in before.members && toUserId !== before.ownerId;
    // Anything else is the decider's to refuse (not a member) or to ignore (already the owner).
    if (handsOn) await this.slots.take(toUserId, workspaceId, (await this.users.byId(toUserId))?.is_platform_admin ?? false);
    const { version, events } = await this.pipeline.decide(workspaces, workspaceId, { type: 'TransferOwnership', toUserId }, { workspaceId }).catch(async (error: unknown) => {
      if (handsOn) await this.slots.release(toUserId, workspaceId).catch(() => undefined);
      throw error;
    });
    for (const event of events) if (event.type === 'OwnershipTransferred') await this.slots.release(event.data.from_user_id, workspaceId);
    return { version };
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
    private readonly pipeline: CommandPipeline,
    private readonly keys: KeyStore,
  ) {}

  async execute({ workspaceId, workspaceName, email, role }: AddMember): Promise<AddMemberResult> {
    const invitationId = newEntityId();
    // The invitee's email is personal data: sealed with the invitation's own key, shredded with it.
    const sealedEmail = await this.keys.seal(invitationId, email.trim());
    // The mail reactor sends the invitation from the event: a failed mail can no longer fail (or half do) the request.
    await this.pipeline.decide(workspaces, workspaceId, { type: 'Invite', invitationId, sealedEmail, emailHash: emailHash(email), role, workspaceName }, { workspaceId });
    return { status: 'invited', invitation_id: invitationId, email: email.trim(), role };
  }
}

export class AcceptInvitation extends Command<{ version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly invitationId: string,
    readonly userId: string,
  ) {
    super();
  }
}

/** The invitee joins with the invited role (the decider ignores an invitation already settled); its sealed email is no longer needed. */
@CommandHandler(AcceptInvitation)
export class AcceptInvitationHandler implements ICommandHandler<AcceptInvitation> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly keys: KeyStore,
  ) {}

  async execute({ workspaceId, invitationId, userId }: AcceptInvitation) {
    const { version } = await this.pipeline.decide(workspaces, workspaceId, { type: 'AcceptInvitation', invitationId, userId }, { workspaceId });
    await this.keys.shred(invitationId);
    return { version };
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
    private readonly pipeline: CommandPipeline,
    private readonly keys: KeyStore,
  ) {}

  async execute({ workspaceId, invitationId }: CancelInvitation) {
    await this.pipeline.decide(workspaces, workspaceId, { type: 'CancelInvitation', invitationId }, { workspaceId });
    await this.keys.shred(invitationId);
  }
}

export class DecideLimitRequest extends Command<{ version: number }> {
  constructor(
    readonly requestId: string,
    readonly approve: boolean,
  ) {
    super();
  }
}

/** A platform admin's decision: the request's workspace comes from the read model of limit requests. */
@CommandHandler(DecideLimitRequest)
export class DecideLimitRequestHandler implements ICommandHandler<DecideLimitRequest> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly directory: WorkspaceDirectory,
  ) {}

  async execute({ requestId, approve }: DecideLimitRequest) {
    const workspaceId = await this.directory.workspaceOfLimitRequest(requestId);
    if (!workspaceId) throw new NotFoundError('no such limit request');
    const { version } = await this.pipeline.decide(workspaces, workspaceId, { type: 'DecideInstanceLimit', requestId, approve }, { workspaceId });
    return { version };
  }
}
