import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Job } from 'bullmq';
import { Pool } from 'pg';
import { CommandPipeline, ConsumerRegistry, createReactor, JobRequest, PG_POOL, ProcessorRegistry, QueueRegistry, ReactorDefinition } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { userDecider, UserEvent, UserState, userStream } from '../domain/user.decider';
import { KeyStore } from '../stores/key-store';
import { identityMails } from './identity-mails';
import { Mail, Mailer, MAILER } from './mailer';
import { SentMails } from './sent-mails';

export const MAIL_QUEUE = 'mail';
export const MAIL_REACTOR = 'identity-mail';

/** Events whose mail this reactor sends, from the version that carries what the mail needs. */
const MAILED_FROM_VERSION: Record<string, number> = { VerificationEmailSent: 2, PasswordResetRequested: 2, MemberInvited: 2 };

/**
 * The job an event asks for. Its data holds only sealed values (the job sits in Redis); older
 * versions of the events were mailed by the request that wrote them, so they ask for nothing.
 */
export function mailJobFor(event: RecordedEvent): JobRequest[] {
  const minimum = MAILED_FROM_VERSION[event.type];
  if (minimum === undefined || Number(event.metadata.event_version ?? 1) < minimum) return [];
  const data = event.data as Record<string, string>;
  if (event.type === 'MemberInvited') {
    return [{ name: 'invitation', data: { invitation_id: data.invitation_id, sealed_email: data.email, workspace_name: data.workspace_name, role: data.role } }];
  }
  const userId = event.streamId.slice('user-'.length);
  return [{ name: event.type === 'VerificationEmailSent' ? 'verification' : 'password-reset', data: { user_id: userId, sealed_token: data.token } }];
}

/** The reactor, also what a queue rebuild uses to offer the same jobs under the same ids. */
export const MAIL_REACTOR_DEFINITION: ReactorDefinition = {
  name: MAIL_REACTOR,
  context: 'identity',
  queue: MAIL_QUEUE,
  jobs: Object.fromEntries(Object.keys(MAILED_FROM_VERSION).map((type) => [type, mailJobFor])),
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
    private readonly pipeline: CommandPipeline,
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
    const [to, token] = await Promise.all([this.emailOf(data.user_id), this.keys.open(this.pool, data.user_id, data.sealed_token)]);
    if (!to || !token) return undefined;
    return name === 'verification' ? identityMails.verification(to, token) : identityMails.passwordReset(to, data.user_id, token);
  }

  /** From the log, not the read model: the job may run before the users projection has the account. */
  private async emailOf(userId: string): Promise<string | null> {
    const { state } = await this.pipeline.load<UserEvent, { user: UserState; sealed?: string }>(userStream(userId), {
      initialState: () => ({ user: userDecider.initialState() }),
      evolve: (s, event) => ({ user: userDecider.evolve(s.user, event), sealed: event.type === 'UserRegistered' ? event.data.email : s.sealed }),
    });
    if (state.user.status === 'none' || state.user.status === 'deleted' || !state.sealed) return null;
    return this.keys.open(this.pool, userId, state.sealed);
  }
}
