import { ConflictError } from '@streamplane/core/domain';
import { deciderSpec } from '@streamplane/testing';
import { auditExportDecider } from './audit-export.decider';
import { AuditExportEvent } from './audit-export.events';

const now = new Date('2026-11-27T12:00:00.000Z');
const by = { type: 'user', id: 'u1' };
const record = { type: 'Record' as const, exportId: 'x1', workspaceId: 'w1', by, format: 'csv' as const, filters: { types: ['StreamCreated'] }, count: 3, complete: true, now };
const exported: AuditExportEvent = {
  type: 'AuditExported',
  data: { at: now.toISOString(), export_id: 'x1', workspace_id: 'w1', by, format: 'csv', filters: { types: ['StreamCreated'] }, count: 3, complete: true },
};

describe('audit export decider', () => {
  const spec = deciderSpec(auditExportDecider);

  it('records an export once: who, format, filters and count', () => {
    spec.given([]).when(record).then([exported]);
    spec.given([exported]).when(record).thenThrows(ConflictError);
  });
});
