import { Injectable } from '@nestjs/common';
import { AsOf, PastReads } from '@streamplane/core';
import { WebhooksProjection } from '@streamplane/projections/webhooks/webhooks/webhooks.projection';
import { webhookStreams } from '../domain/webhook.events';
import { WebhookDirectory, WebhookView } from './webhook-directory';

/** A webhook as it was at a past point, replayed by its projection in a rolled-back transaction (see `PastReads`). */
@Injectable()
export class WebhooksAsOf {
  constructor(
    private readonly past: PastReads,
    private readonly projection: WebhooksProjection,
    private readonly webhooks: WebhookDirectory,
  ) {}

  /** Undefined when the webhook did not exist yet then, was already deleted, or is another workspace's. */
  webhook(workspaceId: string, webhookId: string, point: AsOf): Promise<WebhookView | undefined> {
    return this.past.read(this.projection, {
      workspaceId,
      stream: webhookStreams.stream(webhookId),
      point,
      clear: (client) => client.query('DELETE FROM webhooks WHERE id = $1', [webhookId]),
      read: (client) => this.webhooks.get(workspaceId, webhookId, client),
    });
  }
}
