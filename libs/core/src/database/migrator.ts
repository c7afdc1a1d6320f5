import { join } from 'node:path';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EVENT_STORE_MIGRATIONS } from '@streamplane/eventstore';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ConsumerRegistry } from '../projections/consumer-registry';
import { READ_SCHEMA } from '../projections/event-consumer';
import { MigrationSet, runMigrations } from './migrations';

export const CORE_MIGRATIONS: MigrationSet = { name: 'core', dir: join(__dirname, '..', '..', 'migrations') };

/**
 * Brings the schema up to date at start: the log, core tables, then every projection's read
 * model. Safe to run twice and from two processes at once (advisory lock per run).
 */
@Injectable()
export class Migrator implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConsumerRegistry,
  ) {}

  private readonly contextSets: MigrationSet[] = [];

  /** A context's own tables outside the log and the read models (credentials, outboxes). */
  register(set: MigrationSet): void {
    this.contextSets.push(set);
  }

  sets(): MigrationSet[] {
    // Read models live in the `read` schema, whatever their files say: a rebuild points the same files elsewhere.
    const readModels = this.registry.projections().map((p) => ({ ...p.migrations, schema: READ_SCHEMA }));
    return [EVENT_STORE_MIGRATIONS, CORE_MIGRATIONS, ...this.contextSets, ...readModels];
  }

  async onModuleInit(): Promise<void> {
    await runMigrations(this.config.databaseUrl, this.sets());
  }
}
