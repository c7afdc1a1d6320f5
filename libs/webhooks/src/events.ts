// The webhooks context's public event catalogue: what projections and other contexts may read.
export * from './domain/webhook.events';
export * from './domain/delivery.events';
