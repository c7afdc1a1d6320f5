import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, entityVersion, eventRouter, Projection, RecordedEventOf } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { DeliveryEvent, WebhookEvent, webhookStreams } from '@streamplane/webhooks/events';


/** Moves the webhook to the event's version; false when the event was applied already (a replay). */
async function advance(client: PoolClient, event: RecordedEventOf<WebhookEvent>): Promise<boolean> {
  const { rowCount } = await client.query('UPDATE webhooks SET version = $2, updated_at = $3 WHERE id = $1 AND version < $2', [webhookStreams.idOf(event.streamId), entityVersion(event), event.data.at]);
  return Boolean(rowCount);
}

/**
 * Webhooks of every workspace (never their secret: the log holds it sealed, and only the delivery
 * job opens it; the Authorization header as the log holds it, sealed, opened by the reads) and the log of their deliveries, one row per delivery with its attempts. The
 * delivery reactor reads the enabled webhooks here.
 */
@Injectable()
export class WebhooksProjection implements Projection {
  readonly name = 'webhooks';
  readonly kind = 'projection' as const;
  readonly context = 'webhooks';
  readonly migrations = { name: 'projection_webhooks', dir: join(__dirname, 'migrations') };

  private readonly router = eventRouter<WebhookEvent | DeliveryEvent, PoolClient>({
    WebhookCreated: async (event, client) => {
      const d = event.data;
      await client.query(
        `INSERT INTO webhooks (id, workspace_id, name, url, sealed_authorization_header, event_filter, is_enabled, enabled_position, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) ON CONFLICT (id) DO NOTHING`,
        [webhookStreams.idOf(event.streamId), d.workspace_id, d.name, d.url, d.sealed_authorization_header, JSON.stringify(d.event_filter), d.is_enabled, event.position.toString(), d.at, entityVersion(event)],
      );
    },
    WebhookUpdated: async (event, client) => {
      if (!(await advance(client, event))) return;
      const d = event.data;
      await client.query(
        `UPDATE webhooks SET name = COALESCE($2, name), url = COALESCE($3, url), sealed_authorization_header = CASE WHEN $4 THEN $5 ELSE sealed_authorization_header END,
           event_filter = COALESCE($6, event_filter) WHERE id = $1`,
        [webhookStreams.idOf(event.streamId), d.name ?? null, d.url ?? null, 'sealed_authorization_header' in d, d.sealed_authorization_header ?? null, d.event_filter ? JSON.stringify(d.event_filter) : null],
      );
    },
    // The secrets are never in the read model; a rotation only moves the version.
    WebhookSecretRotated: async (event, client) => {
      await advance(client, event);
    },
    WebhookRecoveryRequested: async (event, client) => {
      await advance(client, event);
    },
    WebhookDisabled: async (event, client) => {
      if (!(await advance(client, event))) return;
      await client.query('UPDATE webhooks SET is_enabled = false, disabled_reason = $2 WHERE id = $1', [webhookStreams.idOf(event.streamId), event.data.reason]);
    },
    WebhookEnabled: async (event, client) => {
      if (!(await advance(client, event))) return;
      await client.query('UPDATE webhooks SET is_enabled = true, disabled_reason = NULL, failing_since = NULL, enabled_position = $2 WHERE id = $1', [
        webhookStreams.idOf(event.streamId),
        event.position.toString(),
      ]);
    },
    WebhookDeleted: async (event, client) => {
      if (!(await advance(client, event))) return;
      await client.query('UPDATE webhooks SET is_enabled = false, deleted_at = $2 WHERE id = $1', [webhookStreams.idOf(event.streamId), event.data.at]);
    },
    DeliveryAttempted: async (event, client) => {
      const d = event.data;
      const attempt = { n: d.n, at: d.at, status_code: d.status_code, duration_ms: d.duration_ms, error: d.error };
      const status = d.outcome === 'retrying' ? 'pending' : d.outcome;
      // An attempt is added once, in order: a replayed event finds its number already there.
      await client.query(
        `INSERT INTO webhook_deliveries AS w (id, webhook_id, workspace_id, event_id, event_type, event_position, status, attempts, attempt_count, next_attempt_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, jsonb_build_array($8::jsonb), $9, $10, $11, $11)
         ON CONFLICT (id) DO UPDATE SET status = $7, attempts = w.attempts || jsonb_build_array($8::jsonb), attempt_count = $9, next_attempt_at = $10, updated_at = $11
         WHERE w.attempt_count < $9`,
        [d.delivery_id, d.webhook_id, d.workspace_id, d.event_id, d.event_type, d.event_position, status, JSON.stringify(attempt), d.n, d.next_attempt_at, d.at],
      );
      // A success ends the webhook's failing streak; a failure starts one, or continues it.
      await client.query(`UPDATE webhooks SET failing_since = CASE WHEN $2 THEN NULL ELSE COALESCE(failing_since, $3) END WHERE id = $1`, [d.webhook_id, d.outcome === 'succeeded', d.at]);
    },
    DeliveryRedeliveryRequested: async (event, client) => {
      const d = event.data;
      await client.query(`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $2, updated_at = $2 WHERE id = $1 AND attempt_count < $3`, [d.delivery_id, d.at, d.n]);
    },
  });
  readonly eventTypes = this.router.eventTypes;

  constructor(registry: ConsumerRegistry) {
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    for (const event of events) await this.router.route(event, client);
  }
}
