import { Module } from '@nestjs/common';
import { EventCatalog } from '@streamplane/core';
import { FleetModule } from '@streamplane/fleet';
import { WebhooksProjection } from '@streamplane/projections/webhooks/webhooks/webhooks.projection';
import { RecordDeliveryAttemptHandler, RedeliverDeliveryHandler } from './commands/delivery-commands';
import { CreateWebhookHandler, DeleteWebhookHandler, DisableWebhookHandler, RecoverWebhookHandler, RotateWebhookSecretHandler, UpdateWebhookHandler } from './commands/webhook-commands';
import { DeliveryReactor } from './delivery/delivery-reactor';
import { WebhookDeliverer } from './delivery/webhook-deliverer';
import { WebhookSlots } from './delivery/webhook-slots';
import { deliveryEvents, webhookEvents } from './events';
import { WebhooksController } from './http/webhooks.controller';
import { WebhookDirectory } from './queries/webhook-directory';
import { WebhooksAsOf } from './queries/webhooks-as-of';
import { WebhookSecrets } from './secrets/webhook-secrets';

/**
 * Webhooks: registered receivers of a workspace's events, each delivery signed (Standard
 * Webhooks), retried on a schedule and logged as events. The signing secrets are sealed with the
 * fleet's per-workspace keys (FleetSecrets).
 */
@Module({
  imports: [FleetModule],
  controllers: [WebhooksController],
  providers: [
    CreateWebhookHandler,
    UpdateWebhookHandler,
    DisableWebhookHandler,
    DeleteWebhookHandler,
    RecordDeliveryAttemptHandler,
    RotateWebhookSecretHandler,
    RecoverWebhookHandler,
    RedeliverDeliveryHandler,
    WebhooksProjection,
    WebhookDirectory,
    WebhooksAsOf,
    DeliveryReactor,
    WebhookDeliverer,
    WebhookSecrets,
    WebhookSlots,
  ],
})
export class WebhooksModule {
  constructor(catalog: EventCatalog) {
    catalog.register(webhookEvents, deliveryEvents);
  }
}
