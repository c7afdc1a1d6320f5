import { Aggregate, ConflictError, Decider } from '@streamplane/core/domain';
import { AuditExportEvent, auditExportStreams, ExportFilters, ExportFormat } from './audit-export.events';

export type AuditExportCommand = {
  type: 'Record';
  exportId: string;
  workspaceId: string;
  by: { type: string; id: string };
  format: ExportFormat;
  filters: ExportFilters;
  count: number;
  complete: boolean;
  now: Date;
};

export interface AuditExportState {
  recorded: boolean;
  workspaceId?: string;
}

/** An export is recorded once, when it ends (finished, or left by its client). */
export const auditExportDecider: Decider<AuditExportCommand, AuditExportEvent, AuditExportState> = {
  initialState: () => ({ recorded: false }),
  evolve: (_state, event) => ({ recorded: true, workspaceId: event.data.workspace_id }),
  decide: (command, state) => {
    if (state.recorded) throw new ConflictError('this export is recorded already');
    const { exportId, workspaceId, by, format, filters, count, complete, now } = command;
    return [{ type: 'AuditExported', data: { at: now.toISOString(), export_id: exportId, workspace_id: workspaceId, by, format, filters, count, complete } }];
  },
};

export const auditExports: Aggregate<AuditExportCommand, AuditExportEvent, AuditExportState> = { category: auditExportStreams, decider: auditExportDecider, noun: 'audit export' };
