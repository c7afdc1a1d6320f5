import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, deterministicUuid, EventCatalog, EventConsumer, QueueRegistry, RecordedEventOf } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { DeliveryEvent, deliveryStreams } from '../domain/delivery.events';
import { matchesFilter } from '../domain/event-filter';
import { WebhookEvent, webhookStreams } from '../domain/webhook.events';
import { WebhookTarget } from '../queries/webhook-directory';

export const WEBHOOKS_QUEUE = 'webhooks';
const PROJECTION = 'webhooks';
const PROJECTION_WAIT_MS = 10_000;

/** The delivery of one event to one webhook: the same id however often the event is handled. */
export const deliveryIdOf = (webhookId: string, eventId: string) => deterministicUuid('webhook delivery', webhookId, eventId);

/** The BullMQ job of one attempt (BullMQ forbids ':' in ids, hence the dots). */
export const attemptJobId = (deliveryId: string, n: number) => `delivery.${deliveryId}.${n}`;

export interface DeliveryJob {
  delivery_id: string;
  webhook_id: string;
  workspace_id: string;
  event_id: string;
  event_position: string;
  n: number;
  /**
   * Set on the job that ends a pending delivery when its webhook was disabled or deleted: it
   * records the attempt as failed without sending, or, if the webhook is enabled again by then,
   * does nothing (the delivery keeps its schedule).
   */
  ending?: true;
}

/** Streams whose events are never delivered: deliveries themselves (a webhook would feed itself) and name reservations. */
const UNDELIVERED = [deliveryStreams, { holds: (stream: string) => stream.startsWith('reservation-') }];

/** Whether an event can go to webhooks at all. Workspaces are UUIDs: an event tagged otherwise (a test fixture's) belongs to no webhook. */
export function deliverable(e: RecordedEvent): boolean {
  return typeof e.metadata.workspace_id === 'string' && UUID.test(e.metadata.workspace_id) && !UNDELIVERED.some((c) => c.holds(e.streamId));
}

export interface RecoveryJob {
  webhook_id: string;
  workspace_id: string;
  since: string;
  through_position: string;
  request_id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every event of a workspace that passes an enabled webhook's filter becomes one delivery job on
 * the `webhooks` queue, its id derived from (webhook, event): an event handled twice (a crash
 * before the checkpoint moved, a restart) enqueues nothing twice, and the delivery processor checks
 * the delivery's own log before it sends. A webhook receives the events after its creation (or
 * its last enabling), read from the webhooks read model; a batch holding webhook events waits
 * until that read model has applied them, so the events right after a change see it.
 */
@Injectable()
export class DeliveryReactor implements EventConsumer {
  readonly name = 'webhook-deliveries';
  readonly kind = 'reactor' as const;
  readonly context = 'webhooks';

  constructor(
    registry: ConsumerRegistry,
    private readonly catalog: EventCatalog,
    private readonly queues: QueueRegistry,
  ) {
    registry.add(this);
  }

  /** Every event type of the catalogue but a delivery's attempts (a redelivery request is a job). */
  get eventTypes(): readonly string[] {
    return this.catalog
      .list()
      .map((kind) => kind.type)
      .filter((type) => type !== 'DeliveryAttempted');
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    await this.redeliveries(events);
    await this.recoveries(events);
    // Only a webhook's own events change whom this batch goes to: wait for the read model to have them.
    const lastWebhookEvent = [...events].reverse().find((e) => webhookStreams.holds(e.streamId));
    if (lastWebhookEvent) await this.projectionReached(client, lastWebhookEvent.position);
    await this.endings(client, events);
    const candidates = events.filter(deliverable);
    if (candidates.length === 0) return;
    const workspaces = [...new Set(candidates.map((e) => String(e.metadata.workspace_id)))];
    const { rows } = await client.query<WebhookTarget>(
      `SELECT id, workspace_id, event_filter, enabled_position::text FROM read.webhooks WHERE workspace_id = ANY($1::uuid[]) AND is_enabled AND deleted_at IS NULL ORDER BY id`,
      [workspaces],
    );
    if (rows.length === 0) return;
    const jobs = [];
    for (const event of candidates) {
      const view = { type: event.type, target: this.catalog.targetOf(event), data: event.data };
      for (const webhook of rows) {
        if (webhook.workspace_id !== event.metadata.workspace_id || event.position <= BigInt(webhook.enabled_position)) continue;
        if (!matchesFilter(webhook.event_filter, view)) continue;
        const deliveryId = deliveryIdOf(webhook.id, event.eventId);
        const data: DeliveryJob = { delivery_id: deliveryId, webhook_id: webhook.id, workspace_id: webhook.workspace_id, event_id: event.eventId, event_position: event.position.toString(), n: 1 };
        jobs.push({ name: 'deliver', data, opts: { jobId: attemptJobId(deliveryId, 1) } });
      }
    }
    if (jobs.length) await this.queues.queue(WEBHOOKS_QUEUE).addBulk(jobs);
  }

  /**
   * A webhook disabled or deleted: each of its pending deliveries gets a job now that ends it
   * (recorded failed, nothing sent), instead of waiting hours for its next attempt. The read model
   * has applied every attempt before the webhook's event (the batch waited for it); an attempt
   * recorded after it schedules a next one, which finds the webhook gone and ends the delivery.
   */
  private async endings(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    const stopped = events.filter((e) => (e.type === 'WebhookDisabled' || e.type === 'WebhookDeleted') && webhookStreams.holds(e.streamId));
    if (stopped.length === 0) return;
    const { rows } = await client.query<DeliveryJob>(
      `SELECT id AS delivery_id, webhook_id, workspace_id, event_id, event_position::text, attempt_count + 1 AS n
       FROM read.webhook_deliveries WHERE webhook_id = ANY($1::uuid[]) AND status = 'pending' ORDER BY id`,
      [stopped.map((e) => webhookStreams.idOf(e.streamId))],
    );
    const causes = new Map(stopped.map((e) => [webhookStreams.idOf(e.streamId), e.eventId]));
    const jobs = rows.map((job) => ({ name: 'deliver', data: { ...job, ending: true } satisfies DeliveryJob, opts: { jobId: `end.${causes.get(job.webhook_id)}.${job.delivery_id}` } }));
    if (jobs.length) await this.queues.queue(WEBHOOKS_QUEUE).addBulk(jobs);
  }

  /** A recovery request becomes one job that walks the log. */
  private async recoveries(events: RecordedEvent[]): Promise<void> {
    const jobs = events
      .filter((e): e is RecordedEventOf<Extract<WebhookEvent, { type: 'WebhookRecoveryRequested' }>> => e.type === 'WebhookRecoveryRequested' && webhookStreams.holds(e.streamId))
      .map((e) => {
        const data: RecoveryJob = { webhook_id: webhookStreams.idOf(e.streamId), workspace_id: String(e.metadata.workspace_id), since: e.data.since, through_position: e.data.through_position, request_id: e.eventId };
        return { name: 'recover', data, opts: { jobId: `recover.${e.eventId}` } };
      });
    if (jobs.length) await this.queues.queue(WEBHOOKS_QUEUE).addBulk(jobs);
  }

  /** A redelivery request becomes the job of its attempt, at once. */
  private async redeliveries(events: RecordedEvent[]): Promise<void> {
    const jobs = events
      .filter((e): e is RecordedEventOf<Extract<DeliveryEvent, { type: 'DeliveryRedeliveryRequested' }>> => e.type === 'DeliveryRedeliveryRequested' && deliveryStreams.holds(e.streamId))
      .map(({ data: { at: _at, ...job } }) => ({ name: 'deliver', data: job satisfies DeliveryJob, opts: { jobId: attemptJobId(job.delivery_id, job.n) } }));
    if (jobs.length) await this.queues.queue(WEBHOOKS_QUEUE).addBulk(jobs);
  }

  /** Waits until the webhooks read model has applied the batch; a lagging one makes the batch retry. */
  private async projectionReached(client: PoolClient, position: bigint): Promise<void> {
    const deadline = Date.now() + PROJECTION_WAIT_MS;
    for (;;) {
      const { rows } = await client.query<{ position: string }>('SELECT position::text FROM projection_checkpoints WHERE name = $1', [PROJECTION]);
      if (rows[0] && BigInt(rows[0].position) >= position) return;
      if (Date.now() > deadline) throw new Error(`the ${PROJECTION} read model is behind position ${position}; the deliveries of this batch wait for it`);
      await sleep(20);
    }
  }
}
