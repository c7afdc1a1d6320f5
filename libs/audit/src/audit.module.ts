import { Module } from '@nestjs/common';
import { EventCatalog } from '@streamplane/core';
import { FleetModule } from '@streamplane/fleet';
import { AuditEventsProjection } from '@streamplane/projections/audit/events/events.projection';
import { AdminEventsController, EventKindsController, EventsController } from './http/events.controller';
import { HistoryController } from './http/history.controller';
import { RecordExportHandler } from './commands/record-export';
import { auditExportEvents } from './events';
import { EntityHistory } from './queries/entity-history';
import { EventExport } from './queries/event-export';
import { EventLog } from './queries/event-log';

/**
 * Audit: the log itself over HTTP for auditors, every event through the one catalogue (its
 * upcasters, its targets, its sealed fields), filtered through the envelope the audit projection
 * indexes.
 */
@Module({
  imports: [FleetModule],
  controllers: [EventsController, AdminEventsController, EventKindsController, HistoryController],
  providers: [AuditEventsProjection, EventLog, EntityHistory, EventExport, RecordExportHandler],
})
export class AuditModule {
  constructor(catalog: EventCatalog) {
    catalog.register(auditExportEvents);
  }
}
