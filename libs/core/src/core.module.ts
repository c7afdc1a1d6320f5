import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, loadConfig } from './config/app-config';
import { CLOCK, systemClock } from './clock';
import { databaseProviders, PG_POOL } from './database/database.providers';
import { Migrator } from './database/migrator';
import { DatabaseLifecycle } from './database/database-lifecycle';
import { EventCatalog } from './commands/event-catalog';
import { CommandPipeline } from './commands/command-pipeline';
import { ConsumerRegistry } from './projections/consumer-registry';
import { CheckpointStore } from './projections/checkpoint-store';
import { ConsumerStatusBoard } from './projections/consumer-status';
import { ConsumerHealth } from './projections/consumer-health';
import { ConsistencyService } from './consistency/consistency.service';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { QueueRegistry } from './jobs/queue-registry';
import { ProcessorRegistry } from './jobs/processor-registry';
import { QueueRebuilder } from './jobs/queue-rebuilder';
import { MetricsExposition } from './metrics/metrics-exposition';
import { MetricsPort } from './metrics/metrics-port';
import { MetricsService } from './metrics/metrics.service';
import { RateLimiter } from './http/rate-limiter';
import { Reservations } from './reservations/reservations';
import { PastReads } from './projections/read-as-of';

const providers = [
  { provide: CLOCK, useValue: systemClock },
  ...databaseProviders,
  {
    provide: CheckpointStore,
    inject: [PG_POOL],
    useFactory: (pool: Pool) => new CheckpointStore(pool),
  },
  EventCatalog,
  CommandPipeline,
  ConsumerRegistry,
  ConsumerStatusBoard,
  ConsumerHealth,
  ConsistencyService,
  IdempotencyStore,
  QueueRegistry,
  ProcessorRegistry,
  QueueRebuilder,
  MetricsService,
  MetricsExposition,
  MetricsPort,
  RateLimiter,
  Reservations,
  PastReads,
  Migrator,
  DatabaseLifecycle,
];

/** What every context and every role stands on; configured once from the environment. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig = loadConfig()) {
    return {
      module: CoreModule,
      imports: [CqrsModule.forRoot()],
      providers: [{ provide: APP_CONFIG, useValue: config }, ...providers],
      exports: [APP_CONFIG, CqrsModule, ...providers.map((p) => ('provide' in p ? p.provide : p))],
    };
  }
}
