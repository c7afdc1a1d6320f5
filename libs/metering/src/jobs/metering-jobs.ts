import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';
import { APP_CONFIG, AppConfig, Clock, CLOCK, inLanes, ProcessorRegistry, QueueRebuilder, QueueRegistry, runJobCommands } from '@streamplane/core';
import { ChangeMeter } from '../commands/meter-commands';
import { IssueStatement } from '../commands/statement-commands';
import { BillingStatements } from '../queries/billing-statements';
import { MeterDirectory } from '../queries/meter-directory';

export const METERING_QUEUE = 'metering';
const TICK_BATCH = 1000;
/** Units a tick meters at once: enough for appends to share commits, well under the pool's 20 connections. */
const TICK_LANES = 16;

/**
 * When a scheduled job was due (BullMQ's job schedulers keep it as `prevMillis`), or when a job
 * added by hand was added; undefined for a bare call (tests, the bench), which takes the clock's now.
 */
function dueTimeOf(job: Partial<Pick<Job, 'timestamp' | 'opts'>>): Date | undefined {
  const due = job.opts?.prevMillis ?? job.timestamp;
  return typeof due === 'number' && due > 0 ? new Date(due) : undefined;
}

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

  /**
   * Records every running unit up to the tick's due time (or up to where the run tracker has seen
   * ends, if it lags), TICK_LANES units at a time so their appends share commits. A tick has one
   * time however often it runs: a rerun (a killed worker's stalled tick, a retry) finds the stretches
   * of the subjects it got to written and records the rest, and nothing past that time. Answers how
   * many stretches this run appended.
   */
  async tick(job: Pick<Job, 'id'> & Partial<Pick<Job, 'timestamp' | 'opts'>>): Promise<number> {
    // Never past this process's now: the due time comes from whichever process's clock scheduled it.
    const now = this.clock.now();
    const due = dueTimeOf(job);
    const until = await this.meters.safeUntil(due && due < now ? due : now);
    let recorded = 0;
    for await (const page of this.meters.running(TICK_BATCH)) {
      const outcomes = await inLanes(page, TICK_LANES, (meter) => {
        const change = new ChangeMeter(meter.workspace_id, meter.subject_id, { type: 'RecordUsage', until });
        // One job context per subject; the stretch's own event id derives from its subject and start
        // (the meter aggregate's event key), so no rerun or second tick records it twice.
        return runJobCommands({ id: `${String(job.id)}.${meter.subject_id}`, queueName: METERING_QUEUE, data: {} }, () => this.commands.execute(change));
      });
      for (const outcome of outcomes) recorded += outcome?.recorded ?? 0;
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
