import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { EventCatalog, Migrator } from '@streamplane/core';
import { FleetModule } from '@streamplane/fleet';
import { AuditEventsProjection } from '@streamplane/projections/audit/events/events.projection';
import { AdminEventsController, EventKindsController, EventsController } from './http/events.controller';
import { HistoryController } from './http/history.controller';
import { AdminDigestsController, AuditVerifyController, PublicKeyController } from './http/integrity.controller';
import { DigestLedger } from './integrity/digest-ledger';
import { DigestSchedule } from './integrity/digest-schedule';
import { DigestSealer } from './integrity/digest-sealer';
import { LogVerifier } from './integrity/log-verifier';
import { AuditSigningKey } from './integrity/signing-key';
import { RecordExportHandler } from './commands/record-export';
import { auditExportEvents } from './events';
import { CausationWalk } from './queries/causation-walk';
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
  controllers: [EventsController, AdminEventsController, EventKindsController, HistoryController, PublicKeyController, AdminDigestsController, AuditVerifyController],
  providers: [AuditEventsProjection, EventLog, CausationWalk, EntityHistory, EventExport, RecordExportHandler, AuditSigningKey, DigestLedger, DigestSealer, DigestSchedule, LogVerifier],
})
export class AuditModule {
  constructor(catalog: EventCatalog, migrator: Migrator) {
    catalog.register(auditExportEvents);
    // The digest chain is no projection: a rebuild from the log must never redo what it sealed.
    migrator.register({ name: 'audit', dir: join(__dirname, '..', 'migrations') });
  }
}
