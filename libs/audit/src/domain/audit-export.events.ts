import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';

/** One stream per export: `audit_export-<id>`. */
export const auditExportStreams = streamCategory('audit_export');

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The filters an export was asked with, as given (absent ones left out). */
export type ExportFilters = { types?: string[]; target_type?: string; target_id?: string; actor_id?: string; correlation_id?: string; since?: string; until?: string };

export const auditExportEvents = defineEvents(auditExportStreams, {
  AuditExported: {
    description: 'Events of a workspace were exported: who, in which format, with which filters, and how many were sent (complete is false when the client stopped reading)',
    payload: payload<{ at: string; export_id: string; workspace_id: string; by: { type: string; id: string }; format: ExportFormat; filters: ExportFilters; count: number; complete: boolean }>(),
  },
});

export type AuditExportEvent = EventOf<typeof auditExportEvents>;
