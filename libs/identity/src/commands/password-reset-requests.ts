import { createHash } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { CommandPipeline, ProcessorRegistry, QueueRegistry, RateLimiter, runJobCommands } from '@streamplane/core';
import { users } from '../domain/user.decider';
import { UserDirectory } from '../queries/user-directory';
import { MailedTokens } from './mailed-tokens';

export const PASSWORD_RESETS_QUEUE = 'password-resets';

/** Reset mails per account and hour; more are dropped silently (a 429 would reveal the account). */
const RESETS_PER_HOUR = 5;

/**
 * A reset request does the same on the request path whether or not the email has an account:
 * it enqueues one job. The lookup, the token and the event happen in the worker, so neither the
 * answer nor its timing (25–56 ms with an account, 4 without, when done in the request) tells.
 * The job holds the email only until it runs (removed on completion and on failure).
 */
@Injectable()
export class PasswordResetRequests implements OnModuleInit {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly processors: ProcessorRegistry,
    private readonly directory: UserDirectory,
    private readonly mailedTokens: MailedTokens,
    private readonly pipeline: CommandPipeline,
    private readonly limiter: RateLimiter,
  ) {}

  onModuleInit(): void {
    this.processors.add({ queue: PASSWORD_RESETS_QUEUE, concurrency: 4, process: (job) => runJobCommands(job, () => this.handle(String(job.data.email))) });
  }

  async enqueue(email: string): Promise<void> {
    await this.queues.queue(PASSWORD_RESETS_QUEUE).add('request-reset', { email }, { removeOnComplete: true, removeOnFail: true });
  }

  private async handle(email: string): Promise<void> {
    const user = await this.directory.byEmail(email);
    if (!user) return;
    const key = `reset:${createHash('sha256').update(user.id).digest('hex')}`;
    if ((await this.limiter.count(key, 3600)) > RESETS_PER_HOUR) return;
    const sealedToken = await this.mailedTokens.issueSealed(user.id, 'reset');
    await this.pipeline.decide(users, user.id, { type: 'RequestPasswordReset', sealedToken });
  }
}
