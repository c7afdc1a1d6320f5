import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';
import { APP_CONFIG, AppConfig, Clock, CLOCK, ProcessorRegistry, QueueRebuilder, QueueRegistry, runJobCommands } from '@streamplane/core';
import { ChangeMeter } from '../commands/meter-commands';
import { IssueStatement } from '../commands/statement-commands';
import { BillingStatements } from '../queries/billing-statements';
import { MeterDirectory } from '../queries/meter-directory';

export const METERING_QUEUE = 'metering';
const TICK_BATCH = 1000;

/**
 * Two schedules on one queue: the tick records a stretch for every running unit each
 * METERING_INTERVAL_SECONDS, and the statement run freezes the statements of months that ended.
 * Both only nominate from read models; the meter and statement deciders check against the log,
 * so a tick that runs twice (a killed worker, a retried job) records nothing twice.
 */
@Injectable()
export class MeteringJobs implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly processors: ProcessorRegistry,
    private readonly queues: QueueRegistry,
    private readonly rebuilder: QueueRebuilder,
    private readonly commands: CommandBus,
    private readonly meters: MeterDirectory,
    private readonly billing: BillingStatements,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.processors.add({ queue: METERING_QUEUE, concurrency: 1, process: (job) => (job.name === 'issue-statements' ? this.issueStatements(job) : this.tick(job)) });
    // The schedules live in Redis only: an emptied Redis gets them back, or metering would stop.
    this.rebuilder.add({ name: METERING_QUEUE, reconcile: () => this.schedule() });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.roles.includes('worker')) await this.schedule();
  }

  private async schedule(): Promise<number> {
    const queue = this.queues.queue(METERING_QUEUE);
    const opts = { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 100, removeOnFail: 100 };
    await queue.upsertJobScheduler('metering-tick', { every: this.config.metering.intervalSeconds * 1000 }, { name: 'tick', opts });
    await queue.upsertJobScheduler('issue-statements', { every: 15 * 60 * 1000 }, { name: 'issue-statements', opts });
    return 2;
  }

  /** Records every running unit up to now (or up to where the run tracker has seen ends, if it lags). */
  async tick(job: Pick<Job, 'id'>): Promise<number> {
    const until = await this.meters.safeUntil(this.clock.now());
    let recorded = 0;
    for await (const meter of this.meters.running(TICK_BATCH)) {
      const change = new ChangeMeter(meter.workspace_id, meter.subject_id, { type: 'RecordUsage', until });
      // One job context per subject; the stretch's own event id derives from its subject and start
      // (the meter aggregate's event key), so no rerun or second tick records it twice.
      const outcome = await runJobCommands({ id: `${String(job.id)}.${meter.subject_id}`, queueName: METERING_QUEUE, data: {} }, () => this.commands.execute(change));
      recorded += outcome?.recorded ?? 0;
    }
    return recorded;
  }

  /** Issues the statement of every month that ended (a grace of two ticks later) and is not issued yet. */
  async issueStatements(job: Pick<Job, 'id'>): Promise<number> {
    const graceMs = 2 * this.config.metering.intervalSeconds * 1000;
    let issued = 0;
    for (const { workspaceId, month } of await this.billing.unissued(new Date(this.clock.now().getTime() - graceMs))) {
      const statement = await this.billing.toIssue(workspaceId, month);
      const outcome = await runJobCommands({ id: `${String(job.id)}.${workspaceId}.${month}`, queueName: METERING_QUEUE, data: {} }, () =>
        this.commands.execute(new IssueStatement(statement)),
      );
      if (outcome?.issued) issued++;
    }
    return issued;
  }
}
