import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Clock, CLOCK, logPositionSince, QueueRebuilder, QueueReconciler, QueueRegistry, reactorEventTypes, reactorJobs } from '@streamplane/core';
import { EVENT_STORE, EventStore, RecordedEvent } from '@streamplane/eventstore';
import { MAIL_REACTOR_DEFINITION } from './mail-reactor';
import { SentMails } from './sent-mails';

/**
 * How far back a rebuild looks for mails not sent. Finished jobs are kept as long
 * (KEEP_FINISHED_JOBS), and a verification or reset mail older than this is of little use.
 */
export const MAIL_REBUILD_DAYS = 7;
/** Mail-asking events checked against the sent mails at once. */
const BATCH = 500;

/**
 * Puts back the mail jobs Redis lost: every mail-asking event of the last MAIL_REBUILD_DAYS whose
 * mail was not sent, as the mail reactor's own definition makes it (same id: a job Redis still
 * holds, waiting or finished, is not added again). "Sent" comes from PostgreSQL (SentMails).
 * A mail the processor found nothing to send for (keys shredded) is offered again and again
 * sends nothing.
 */
@Injectable()
export class MailQueueRebuild implements QueueReconciler, OnModuleInit {
  readonly name = MAIL_REACTOR_DEFINITION.queue;

  constructor(
    private readonly rebuilder: QueueRebuilder,
    private readonly queues: QueueRegistry,
    private readonly sent: SentMails,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.rebuilder.add(this);
  }

  async reconcile(): Promise<number> {
    const since = new Date(this.clock.now().getTime() - MAIL_REBUILD_DAYS * 24 * 3600 * 1000);
    // The port reads the log only whole (no filter by type): the look-back is what bounds it.
    const after = await logPositionSince(this.store, since);
    const asking = reactorEventTypes(MAIL_REACTOR_DEFINITION);
    let offered = 0;
    let batch: RecordedEvent[] = [];
    for await (const event of this.store.readAll({ after })) {
      if (event.recordedAt < since || !asking.includes(event.type)) continue;
      batch.push(event);
      if (batch.length === BATCH) {
        offered += await this.offer(batch);
        batch = [];
      }
    }
    return offered + (await this.offer(batch));
  }

  private async offer(events: RecordedEvent[]): Promise<number> {
    const sent = await this.sent.among(events.map((event) => event.eventId));
    const jobs = events.filter((event) => !sent.has(event.eventId)).flatMap((event) => reactorJobs(MAIL_REACTOR_DEFINITION, event));
    if (jobs.length) await this.queues.queue(MAIL_REACTOR_DEFINITION.queue).addBulk(jobs);
    return jobs.length;
  }
}
