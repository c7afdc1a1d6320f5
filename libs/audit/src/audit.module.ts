import { Module } from '@nestjs/common';
import { AuditEventsProjection } from '@streamplane/projections/audit/events/events.projection';
import { AdminEventsController, EventKindsController, EventsController } from './http/events.controller';
import { EventLog } from './queries/event-log';

/**
 * Audit: the log itself over HTTP for auditors, every event through the one catalogue (its
 * upcasters, its targets, its sealed fields), filtered through the envelope the audit projection
 * indexes.
 */
@Module({
  controllers: [EventsController, AdminEventsController, EventKindsController],
  providers: [AuditEventsProjection, EventLog],
})
export class AuditModule {}
