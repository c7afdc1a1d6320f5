// The streams context's public event catalogue: what projections and other readers may know of
// its events. Pure: nothing here reaches Nest, pg, BullMQ or HTTP.
export * from './domain/stream.events';
export * from './domain/group.events';
export { STREAM_STATUSES, QUEUED_STATUSES } from './domain/stream-status';
export type { StreamStatus } from './domain/stream-status';
