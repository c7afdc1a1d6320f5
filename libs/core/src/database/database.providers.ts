import { Logger, Provider } from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, EventStore, EventStoreDbEventStore, PostgresEventStore } from '@streamplane/eventstore';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PreparingClient } from './preparing-client';
import { EventCatalog } from '../commands/event-catalog';
import { UpcastingEventStore } from '../commands/upcasting-event-store';

export const PG_POOL = Symbol('PG_POOL');
/**
 * The store as written, without upcasting: for integrity checks, which must hash what is on disk
 * (an upcaster added later must not look like tampering). Every other reader takes EVENT_STORE.
 */
export const STORED_EVENT_STORE = Symbol('STORED_EVENT_STORE');

export const databaseProviders: Provider[] = [
  {
    provide: PG_POOL,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => {
      const pool = new Pool({ connectionString: config.databaseUrl, max: 20, Client: PreparingClient });
      const logger = new Logger('postgres');
      // An idle connection that the server drops must not take the process down; the pool replaces it.
      pool.on('error', (error) => logger.warn(`idle connection lost: ${error.message}`));
      // pg leaves a checked-out client without an 'error' listener: a server restart between two of
      // its queries would be an unhandled 'error' event and kill the process. The query in flight
      // still fails, and its holder releases the client as broken.
      pool.on('connect', (client) => client.on('error', (error) => logger.warn(`connection lost while in use: ${error.message}`)));
      return pool;
    },
  },
  {
    provide: STORED_EVENT_STORE,
    inject: [APP_CONFIG, PG_POOL],
    useFactory: (config: AppConfig, pool: Pool): EventStore =>
      config.eventStoreConnectionString ? new EventStoreDbEventStore(config.eventStoreConnectionString) : new PostgresEventStore(pool, config.databaseUrl),
  },
  {
    provide: EVENT_STORE,
    inject: [STORED_EVENT_STORE, EventCatalog],
    useFactory: (stored: EventStore, catalog: EventCatalog): EventStore => new UpcastingEventStore(stored, catalog),
  },
];
