import { Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ConsumerRegistry, createReactor, ProcessorRegistry, QueueRegistry, RecordedEventOf, runJobCommands } from '@streamplane/core';
import { emailHash } from '../domain/email';
import { UserEvent, userStreams } from '../domain/user.events';
import { AccountEmails } from '../queries/account-emails';
import { WorkspaceDirectory } from '../queries/workspace-directory';
import { AcceptInvitation } from './workspace-commands';

export const INVITATIONS_QUEUE = 'invitations';

const acceptJob = (event: RecordedEventOf<Extract<UserEvent, { type: 'UserVerified' }>>) => [{ name: 'accept-invitations', data: { user_id: userStreams.idOf(event.streamId) } }];

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
    private readonly directory: WorkspaceDirectory,
    private readonly emails: AccountEmails,
  ) {}

  onModuleInit(): void {
    this.consumers.add(createReactor<UserEvent>({ name: 'invitation-acceptance', context: 'identity', queue: INVITATIONS_QUEUE, jobs: { UserVerified: acceptJob } }, this.queues));
    this.processors.add({
      queue: INVITATIONS_QUEUE,
      concurrency: 4,
      process: (job) => runJobCommands(job, () => this.acceptFor(String(job.data.user_id))),
    });
  }

  private async acceptFor(userId: string): Promise<number> {
    const email = await this.emails.emailOf(userId, { verifiedOnly: true });
    if (!email) return 0;
    const invitations = await this.directory.invitationsFor(emailHash(email));
    for (const invitation of invitations) await this.commands.execute(new AcceptInvitation(invitation.workspace_id, invitation.id, userId));
    return invitations.length;
  }
}
