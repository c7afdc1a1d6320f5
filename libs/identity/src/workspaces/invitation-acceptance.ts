import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { RecordedEvent } from '@streamplane/eventstore';
import { CommandPipeline, ConsumerRegistry, createReactor, PG_POOL, ProcessorRegistry, QueueRegistry, runJobCommands } from '@streamplane/core';
import { userDecider, UserEvent, UserState, userStream } from '../domain/user.decider';
import { KeyStore } from '../stores/key-store';
import { ChangeWorkspace, emailHash } from './workspace-commands';
import { WorkspaceDirectory } from './workspace-directory';

export const INVITATIONS_QUEUE = 'invitations';

/**
 * When an email is verified, the invitations waiting for it are accepted: a reactor turns
 * UserVerified into a job, whose processor finds the invitations by the email's hash and accepts
 * each (the decider ignores an invitation already accepted or cancelled).
 */
@Injectable()
export class InvitationAcceptance implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly processors: ProcessorRegistry,
    private readonly queues: QueueRegistry,
    private readonly commands: CommandBus,
    private readonly pipeline: CommandPipeline,
    private readonly directory: WorkspaceDirectory,
    private readonly keys: KeyStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  onModuleInit(): void {
    this.consumers.add(
      createReactor(
        {
          name: 'invitation-acceptance',
          context: 'identity',
          queue: INVITATIONS_QUEUE,
          jobs: {
            UserVerified: (event: RecordedEvent) => [{ name: 'accept-invitations', data: { user_id: event.streamId.slice('user-'.length) } }],
          },
        },
        this.queues,
      ),
    );
    this.processors.add({
      queue: INVITATIONS_QUEUE,
      concurrency: 4,
      process: (job) => runJobCommands(job, () => this.acceptFor(String(job.data.user_id))),
    });
  }

  private async acceptFor(userId: string): Promise<number> {
    const email = await this.emailOf(userId);
    if (!email) return 0;
    const invitations = await this.directory.invitationsFor(emailHash(email));
    for (const invitation of invitations) {
      await this.commands.execute(new ChangeWorkspace(invitation.workspace_id, (now) => ({ type: 'AcceptInvitation', invitationId: invitation.id, userId, now })));
      await this.keys.shred(invitation.id);
    }
    return invitations.length;
  }

  /** From the log, not the read model: the job may run before the users projection has the account. */
  private async emailOf(userId: string): Promise<string | null> {
    const { state } = await this.pipeline.load<UserEvent, { user: UserState; sealed?: string }>(userStream(userId), {
      initialState: () => ({ user: userDecider.initialState() }),
      evolve: (s, event) => ({ user: userDecider.evolve(s.user, event), sealed: event.type === 'UserRegistered' ? event.data.email : s.sealed }),
    });
    if (state.user.status !== 'verified' || !state.sealed) return null;
    return this.keys.open(this.pool, userId, state.sealed);
  }
}
