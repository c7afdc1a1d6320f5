export * from './streams.module';
export * from './events';
export * from './queries/stream-directory';
export * from './queue/processing-queue';
