import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, Clock, CLOCK, CommandPipeline, EventCatalog, EventView, eventView, logPositionSince, PG_POOL, ProcessorRegistry, QueueRebuilder, QueueRegistry, runJobCommands } from '@streamplane/core';
import { EVENT_STORE, EventStore, RecordedEvent } from '@streamplane/eventstore';
import { RecordDeliveryAttempt, RedeliverDelivery } from '../commands/delivery-commands';
import { DisableWebhook } from '../commands/webhook-commands';
import { deliveries } from '../domain/delivery.decider';
import { AttemptOutcome, DeliveryAttempt } from '../domain/delivery.events';
import { matchesFilter } from '../domain/event-filter';
import { signingSecrets, webhooks, WebhookState } from '../domain/webhook.decider';
import { WebhookSecrets } from '../secrets/webhook-secrets';
import { attemptJobId, deliverable, deliveryIdOf, DeliveryJob, RecoveryJob, WEBHOOKS_QUEUE } from './delivery-reactor';
import { sign } from './signing';
import { checkTarget } from './url-guard';
import { postPinned } from './pinned-post';
import { WebhookSlots } from './webhook-slots';

const CONCURRENCY = 16;
/** How long an attempt over its webhook's bound waits before it is offered again (plus as much jitter). */
const DEFER_MS = 100;
/** A receiver's answer body is kept up to this much, for the attempt's error; the rest is read and dropped. */
const MAX_ERROR_TEXT = 200;
/** A Retry-After longer than this is capped: a receiver cannot park a delivery for days. */
const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

export interface AttemptResult {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** From a 429 or 503 answer's Retry-After. */
  retryAfterMs?: number;
}

/** Bodies above this are sent thin: the event without its `data`, with a link to it. */
export const MAX_BODY_BYTES = 256 * 1024;

/** The body of a delivery: `{type, timestamp, data: <event>}`, or thin when the event is too large. */
export function deliveryBody(view: EventView, workspaceId: string): string {
  const full = JSON.stringify({ type: view.type, timestamp: view.occurred_at, data: view });
  if (Buffer.byteLength(full) <= MAX_BODY_BYTES) return full;
  const { data: _data, ...thin } = view;
  return JSON.stringify({ type: view.type, timestamp: view.occurred_at, thin: true, data: { ...thin, href: `/v1/workspaces/${workspaceId}/events/${view.event_id}` } });
}

/** A webhook whose every attempt has failed for this long is disabled (`failing`). */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3600 * 1000;

/** Whether a failing streak that began at `failingSince` is long enough, at `now`, to disable the webhook. */
export function failingTooLong(failingSince: Date | null | undefined, now: Date): boolean {
  return Boolean(failingSince) && now.getTime() - failingSince!.getTime() >= DISABLE_AFTER_FAILING_MS;
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Math.min(Number(value.trim()) * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now.getTime()), MAX_RETRY_AFTER_MS);
}

/**
 * Sends a delivery's attempts: signs the event with the webhook's secret (Standard Webhooks),
 * POSTs it, records the attempt on the delivery's stream, and schedules the next attempt on
 * WEBHOOK_RETRY_SCHEDULE (later when the receiver asked so with Retry-After). `410 Gone` disables
 * the webhook, and so do five days of nothing but failures (by the injected Clock). Each attempt is its own job (`delivery.<id>.<n>`): the log says which attempts were
 * made, so a job run twice sends nothing twice.
 */
@Injectable()
export class WebhookDeliverer implements OnModuleInit {
  private readonly logger = new Logger('webhooks');

  constructor(
    private readonly processors: ProcessorRegistry,
    private readonly queues: QueueRegistry,
    private readonly rebuilder: QueueRebuilder,
    private readonly commands: CommandBus,
    private readonly pipeline: CommandPipeline,
    private readonly secrets: WebhookSecrets,
    private readonly slots: WebhookSlots,
    private readonly catalog: EventCatalog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.processors.add({ queue: WEBHOOKS_QUEUE, concurrency: CONCURRENCY, process: (job: Job) => (job.name === 'recover' ? this.recover(job.data as RecoveryJob) : this.bounded(job.data as DeliveryJob)) });
    this.rebuilder.add({ name: WEBHOOKS_QUEUE, reconcile: () => this.reconcile() });
  }

  /**
   * Walks the log up to the position of the request: every event since `since` that passes the
   * webhook's filter now is delivered again (a finished delivery as a redelivery, one never made
   * as its first attempt; one still being attempted is left to its schedule).
   */
  async recover(job: RecoveryJob): Promise<number> {
    const webhook = await this.pipeline.loadEntity(webhooks, job.webhook_id);
    if (webhook.status !== 'active' || !webhook.enabled || webhook.workspaceId !== job.workspace_id) return 0;
    const since = Date.parse(job.since);
    const through = BigInt(job.through_position);
    const queue = this.queues.queue(WEBHOOKS_QUEUE);
    let offered = 0;
    // Read from about `since` on (a binary search on recording times), not from the log's start.
    const after = await logPositionSince(this.store, new Date(since));
    for await (const event of this.store.readAll({ after })) {
      if (event.position > through) break;
      if (event.recordedAt.getTime() < since || !deliverable(event) || event.metadata.workspace_id !== job.workspace_id) continue;
      if (!matchesFilter(webhook.eventFilter ?? {}, { type: event.type, target: this.catalog.targetOf(event), data: event.data })) continue;
      const deliveryId = deliveryIdOf(job.webhook_id, event.eventId);
      const delivery = await this.pipeline.loadEntity(deliveries, deliveryId);
      if (delivery.attempts === 0) {
        const data: DeliveryJob = { delivery_id: deliveryId, webhook_id: job.webhook_id, workspace_id: job.workspace_id, event_id: event.eventId, event_position: event.position.toString(), n: 1 };
        await queue.add('deliver', data, { jobId: `recover.${job.request_id}.${deliveryId}` });
      } else if (delivery.finished) {
        await runJobCommands({ id: `recover.${job.request_id}.${deliveryId}`, queueName: WEBHOOKS_QUEUE, data: { event_id: job.request_id } }, () =>
          this.commands.execute(new RedeliverDelivery(job.workspace_id, job.webhook_id, deliveryId)),
        );
      } else continue;
      offered++;
    }
    return offered;
  }

  /**
   * At most WEBHOOK_CONCURRENCY_PER_WEBHOOK attempts of one webhook at once, across every worker
   * process (a lease each in Redis): an attempt over the bound goes back to the queue for a moment
   * (as a copy under a fresh id; the log still says whether it was sent), freeing the worker slot
   * for other webhooks' deliveries.
   */
  async bounded(job: DeliveryJob): Promise<AttemptOutcome | 'skipped' | 'deferred'> {
    const lease = await this.slots.take(job.webhook_id);
    if (!lease) {
      const jobId = `${attemptJobId(job.delivery_id, job.n)}.w${Date.now()}${Math.random().toString(36).slice(2, 6)}`;
      await this.queues.queue(WEBHOOKS_QUEUE).add('deliver', job, { jobId, delay: DEFER_MS + Math.floor(Math.random() * DEFER_MS) });
      return 'deferred';
    }
    try {
      return await this.deliver(job);
    } finally {
      // Not given back (Redis away): it expires by itself.
      await this.slots.release(job.webhook_id, lease).catch(() => undefined);
    }
  }

  /**
   * After Redis lost its queues: the next attempt of every pending delivery, under the id it had
   * (deliveries whose first attempt was never made are not found here yet; see DECISIONS).
   */
  async reconcile(): Promise<number> {
    const { rows } = await this.pool.query<DeliveryJob & { next_attempt_at: Date | null }>(
      `SELECT id AS delivery_id, webhook_id, workspace_id, event_id, event_position::text, attempt_count + 1 AS n, next_attempt_at
       FROM read.webhook_deliveries WHERE status = 'pending'`,
    );
    const now = this.clock.now().getTime();
    const jobs = rows.map(({ next_attempt_at: at, ...job }) => ({
      name: 'deliver',
      data: job,
      opts: { jobId: attemptJobId(job.delivery_id, job.n), delay: Math.max(0, (at?.getTime() ?? now) - now) },
    }));
    if (jobs.length) await this.queues.queue(WEBHOOKS_QUEUE).addBulk(jobs);
    return jobs.length;
  }

  async deliver(job: DeliveryJob): Promise<AttemptOutcome | 'skipped'> {
    // Three independent reads side by side: one round trip of latency instead of three.
    const [delivery, webhook, event] = await Promise.all([
      this.pipeline.loadEntity(deliveries, job.delivery_id),
      this.pipeline.loadEntity(webhooks, job.webhook_id),
      this.event(job),
    ]);
    if (delivery.finished) return 'skipped';
    if (delivery.attempts >= job.n) {
      // Recorded by an earlier run that died before it scheduled the next attempt: schedule it now.
      if (delivery.attempts === job.n && delivery.nextAttemptAt) await this.scheduleNext(job, new Date(delivery.nextAttemptAt));
      return 'skipped';
    }
    if (webhook.workspaceId !== job.workspace_id) return 'skipped';
    // Ending a delivery of a webhook enabled again since: it keeps its schedule.
    if (job.ending && webhook.status === 'active' && webhook.enabled) return 'skipped';
    if (!event) return this.record(job, 'unknown', { statusCode: null, durationMs: 0, error: `event ${job.event_id} is not in the log` }, 'failed', null);
    // A deleted or disabled webhook's delivery ends here, recorded, without sending.
    if (webhook.status !== 'active') return this.record(job, event.type, { statusCode: null, durationMs: 0, error: 'the webhook was deleted' }, 'failed', null);
    if (!webhook.enabled) return this.record(job, event.type, { statusCode: null, durationMs: 0, error: 'the webhook is disabled' }, 'failed', null);

    const result = await this.send(job, webhook, event);
    const now = this.clock.now();
    if (result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300) return this.record(job, event.type, result, 'succeeded', null);
    if (result.statusCode === 410) {
      const outcome = await this.record(job, event.type, result, 'failed', null);
      await runJobCommands({ id: `${job.delivery_id}.${job.n}.gone`, queueName: WEBHOOKS_QUEUE, data: { event_id: job.event_id } }, () =>
        this.commands.execute(new DisableWebhook(job.workspace_id, job.webhook_id, 'gone', 410)),
      );
      return outcome;
    }
    const schedule = this.config.webhooks.retrySchedule;
    if (job.n >= schedule.length) {
      const outcome = await this.record(job, event.type, result, 'failed', null);
      await this.disableIfFailingTooLong(job, now, delivery.firstFailureAt);
      return outcome;
    }
    const delay = Math.max(schedule[job.n], result.retryAfterMs ?? 0);
    const next = new Date(now.getTime() + delay);
    const outcome = await this.record(job, event.type, result, 'retrying', next);
    await this.disableIfFailingTooLong(job, now, delivery.firstFailureAt);
    await this.scheduleNext(job, next);
    return outcome;
  }

  /**
   * Five days of nothing but failures disable the webhook; enabling it again starts afresh. The
   * streak is the read model's (every delivery of the webhook), or this delivery's own first
   * failure, read from its stream, when the read model has not caught up with it yet.
   */
  private async disableIfFailingTooLong(job: DeliveryJob, now: Date, deliveryFailingSince: string | undefined): Promise<void> {
    const { rows } = await this.pool.query<{ failing_since: Date | null }>('SELECT failing_since FROM read.webhooks WHERE id = $1 AND is_enabled', [job.webhook_id]);
    if (!rows[0]) return;
    const own = deliveryFailingSince ? new Date(deliveryFailingSince) : undefined;
    const since = [rows[0].failing_since ?? undefined, own].filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
    if (!failingTooLong(since, now)) return;
    await runJobCommands({ id: `${job.delivery_id}.${job.n}.failing`, queueName: WEBHOOKS_QUEUE, data: { event_id: job.event_id } }, () =>
      this.commands.execute(new DisableWebhook(job.workspace_id, job.webhook_id, 'failing')),
    );
  }

  private async scheduleNext(job: DeliveryJob, at: Date): Promise<void> {
    const delay = Math.max(0, at.getTime() - this.clock.now().getTime());
    const { ending: _ending, ...next } = job;
    await this.queues.queue(WEBHOOKS_QUEUE).add('deliver', { ...next, n: job.n + 1 }, { jobId: attemptJobId(job.delivery_id, job.n + 1), delay });
  }

  private async record(job: DeliveryJob, eventType: string, result: AttemptResult, outcome: AttemptOutcome, next: Date | null): Promise<AttemptOutcome> {
    const attempt: DeliveryAttempt = {
      delivery_id: job.delivery_id,
      webhook_id: job.webhook_id,
      workspace_id: job.workspace_id,
      event_id: job.event_id,
      event_type: eventType,
      event_position: job.event_position,
      n: job.n,
      status_code: result.statusCode,
      duration_ms: result.durationMs,
      error: result.error,
      outcome,
      next_attempt_at: next?.toISOString() ?? null,
    };
    // Ids of the attempt's events derive from the delivery and the attempt number.
    await runJobCommands({ id: `${job.delivery_id}.${job.n}`, queueName: WEBHOOKS_QUEUE, data: { event_id: job.event_id } }, () => this.commands.execute(new RecordDeliveryAttempt(attempt)));
    return outcome;
  }

  /** The event the delivery carries, read (upcast) from the log at its position. */
  private async event(job: DeliveryJob): Promise<RecordedEvent | undefined> {
    for await (const event of this.store.readAll({ after: BigInt(job.event_position) - 1n, maxCount: 1 })) return event.eventId === job.event_id ? event : undefined;
    return undefined;
  }

  /** One POST: `{type, timestamp, data}` with the Standard Webhooks headers. */
  private async send(job: DeliveryJob, webhook: WebhookState, event: RecordedEvent): Promise<AttemptResult> {
    const started = Date.now();
    const elapsed = () => Date.now() - started;
    // Resolved and checked once; the connection goes to the address checked (DNS can change in between).
    const checked = await checkTarget(webhook.url!, this.config.webhooks.allowPrivate);
    if ('refused' in checked) return { statusCode: null, durationMs: elapsed(), error: `url ${checked.refused}` };
    const body = deliveryBody(eventView(event, this.catalog), job.workspace_id);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const secrets = await Promise.all(signingSecrets(webhook, this.clock.now()).map((sealed) => this.secrets.openSecret(job.workspace_id, job.webhook_id, sealed)));
    const authorization = await this.secrets.openHeader(job.workspace_id, job.webhook_id, webhook.sealedAuthorizationHeader);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Streamplane-Webhooks/1',
      'webhook-id': job.delivery_id,
      'webhook-timestamp': String(timestamp),
      // After a rotation both secrets sign for 24 h: a receiver holding either one accepts.
      'webhook-signature': secrets.map((secret) => sign(secret, job.delivery_id, timestamp, body)).join(' '),
    };
    if (authorization) headers.authorization = authorization;
    try {
      const res = await postPinned(checked.target, headers, body, AbortSignal.timeout(this.config.webhooks.timeoutMs), MAX_ERROR_TEXT);
      const ok = res.status >= 200 && res.status < 300;
      const retryAfter = res.headers['retry-after'];
      return {
        statusCode: res.status,
        durationMs: elapsed(),
        error: ok ? null : `HTTP ${res.status}${res.text ? `: ${res.text}` : ''}`,
        retryAfterMs: res.status === 429 || res.status === 503 ? retryAfterMs(typeof retryAfter === 'string' ? retryAfter : null, this.clock.now()) : undefined,
      };
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const message = timedOut ? `no answer within ${this.config.webhooks.timeoutMs} ms` : describe(error);
      this.logger.debug(`delivery ${job.delivery_id} attempt ${job.n}: ${message}`);
      return { statusCode: null, durationMs: elapsed(), error: message };
    }
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
