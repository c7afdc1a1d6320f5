export * from './webhooks.module';
export * from './events';
