import { Logger, Provider } from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, EventStore, EventStoreDbEventStore, PostgresEventStore } from '@streamplane/eventstore';
import { APP_CONFIG, AppConfig } from '../config/app-config';

export const PG_POOL = Symbol('PG_POOL');

export const databaseProviders: Provider[] = [
  {
    provide: PG_POOL,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => {
      const pool = new Pool({ connectionString: config.databaseUrl, max: 20 });
      // An idle connection that the server drops must not take the process down; the pool replaces it.
      pool.on('error', (error) => new Logger('postgres').warn(`idle connection lost: ${error.message}`));
      return pool;
    },
  },
  {
    provide: EVENT_STORE,
    inject: [APP_CONFIG, PG_POOL],
    useFactory: (config: AppConfig, pool: Pool): EventStore =>
      config.eventStoreConnectionString
        ? new EventStoreDbEventStore(config.eventStoreConnectionString)
        : new PostgresEventStore(pool, config.databaseUrl),
  },
];
