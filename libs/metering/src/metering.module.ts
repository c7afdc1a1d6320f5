import { Module } from '@nestjs/common';
import { EventCatalog } from '@streamplane/core';
import { FleetModule } from '@streamplane/fleet';
import { UsageProjection } from '@streamplane/projections/metering/usage/usage.projection';
import { ChangeMeterHandler } from './commands/meter-commands';
import { IssueStatementHandler } from './commands/statement-commands';
import { statementEvents, usageEvents } from './events';
import { AdminUsageController } from './http/admin-usage.controller';
import { AdminDirectoryController } from './http/admin-directory.controller';
import { BillingController } from './http/billing.controller';
import { UsageController } from './http/usage.controller';
import { MeteringJobs } from './jobs/metering-jobs';
import { BillingStatements } from './queries/billing-statements';
import { MeterDirectory } from './queries/meter-directory';
import { PlatformStatsQuery } from './queries/platform-stats';
import { UsageMetrics } from './queries/usage-metrics';
import { UsageReports } from './queries/usage-reports';
import { RunTracker } from './runs/run-tracker';
import { UsageRatesSource } from './runs/usage-rates';

/**
 * Metering: instances while running and streams while in progress become `UsageRecorded` events
 * (energy, emissions, price written in), rolled up for usage reads and monthly statements.
 */
@Module({
  imports: [FleetModule],
  controllers: [UsageController, BillingController, AdminUsageController, AdminDirectoryController],
  providers: [ChangeMeterHandler, IssueStatementHandler, UsageProjection, RunTracker, UsageRatesSource, MeteringJobs, MeterDirectory, UsageReports, BillingStatements, PlatformStatsQuery, UsageMetrics],
})
export class MeteringModule {
  constructor(catalog: EventCatalog) {
    catalog.register(usageEvents, statementEvents);
  }
}
