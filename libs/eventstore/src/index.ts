import { join } from 'node:path';

export * from './event-store';
export * from './errors';
export { PostgresEventStore } from './postgres/postgres-event-store';
export { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';

/** The PostgreSQL adapter's own table; runs whether or not it is the configured store. */
export const EVENT_STORE_MIGRATIONS = { name: 'eventstore', dir: join(__dirname, '..', 'migrations') };
export { PgWakeUp, Waiter } from './postgres/pg-wake-up';
