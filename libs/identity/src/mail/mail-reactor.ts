import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Job } from 'bullmq';
import { Pool } from 'pg';
import { ConsumerRegistry, createReactor, JobRequest, PG_POOL, ProcessorRegistry, QueueRegistry, ReactorDefinition, RecordedEventOf } from '@streamplane/core';
import { UserEvent, userStreams } from '../domain/user.events';
import { WorkspaceEvent } from '../domain/workspace.events';
import { IdentityEvent } from '../events';
import { AccountEmails } from '../queries/account-emails';
import { KeyStore } from '../stores/key-store';
import { identityMails } from './identity-mails';
import { Mail, Mailer, MAILER } from './mailer';
import { SentMails } from './sent-mails';

export const MAIL_QUEUE = 'mail';
export const MAIL_REACTOR = 'identity-mail';

type Recorded<E extends IdentityEvent, Type extends E['type']> = RecordedEventOf<Extract<E, { type: Type }>>;

/*
 * The job each mail-asking event asks for. Its data holds only sealed values (the job sits in
 * Redis). Before version 2 these events did not carry what the mail needs (the token, the
 * workspace's name): their request sent the mail, so they ask for nothing.
 */

const verificationJob = (event: Recorded<UserEvent, 'VerificationEmailSent'>): JobRequest[] =>
  event.data.token === undefined ? [] : [{ name: 'verification', data: { user_id: userStreams.idOf(event.streamId), sealed_token: event.data.token } }];

const passwordResetJob = (event: Recorded<UserEvent, 'PasswordResetRequested'>): JobRequest[] =>
  event.data.token === undefined ? [] : [{ name: 'password-reset', data: { user_id: userStreams.idOf(event.streamId), sealed_token: event.data.token } }];

const invitationJob = ({ data }: Recorded<WorkspaceEvent, 'MemberInvited'>): JobRequest[] =>
  data.workspace_name === undefined ? [] : [{ name: 'invitation', data: { invitation_id: data.invitation_id, sealed_email: data.email, workspace_name: data.workspace_name, role: data.role } }];

/** The reactor, also what a queue rebuild uses to offer the same jobs under the same ids. */
export const MAIL_REACTOR_DEFINITION: ReactorDefinition<IdentityEvent> = {
  name: MAIL_REACTOR,
  context: 'identity',
  queue: MAIL_QUEUE,
  jobs: { VerificationEmailSent: verificationJob, PasswordResetRequested: passwordResetJob, MemberInvited: invitationJob },
};

/**
 * Mail goes out from the log, never next to the append: the event is the truth, the reactor
 * turns it into a job whose id comes from the event (a replay enqueues nothing twice), and the
 * job sends with the event's id as the mail's key (a job run twice mails once).
 */
@Injectable()
export class MailReactor implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly processors: ProcessorRegistry,
    private readonly queues: QueueRegistry,
    private readonly emails: AccountEmails,
    private readonly keys: KeyStore,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly sent: SentMails,
  ) {}

  onModuleInit(): void {
    this.consumers.add(createReactor(MAIL_REACTOR_DEFINITION, this.queues));
    this.processors.add({ queue: MAIL_QUEUE, concurrency: 4, process: (job) => this.send(job) });
  }

  /** Sends the job's mail; nothing when its keys are shredded (account deleted, invitation settled). */
  async send(job: Pick<Job, 'name' | 'data'>): Promise<boolean> {
    const mail = await this.compose(job.name, job.data as Record<string, string>);
    if (!mail) return false;
    const key = String(job.data.event_id);
    await this.mailer.send({ ...mail, key });
    // Known sent without Redis: a queue rebuild does not offer this mail again.
    await this.sent.record(key);
    return true;
  }

  private async compose(name: string, data: Record<string, string>): Promise<Mail | undefined> {
    if (name === 'invitation') {
      const to = await this.keys.open(this.pool, data.invitation_id, data.sealed_email);
      return to ? identityMails.invitation(to, data.workspace_name, data.role) : undefined;
    }
    const [to, token] = await Promise.all([this.emails.emailOf(data.user_id), this.keys.open(this.pool, data.user_id, data.sealed_token)]);
    if (!to || !token) return undefined;
    return name === 'verification' ? identityMails.verification(to, token) : identityMails.passwordReset(to, data.user_id, token);
  }
}
