// The audit context's public event catalogue. Pure: nothing here reaches Nest, pg, BullMQ or HTTP.
export { auditExportEvents, auditExportStreams, EXPORT_FORMATS } from './domain/audit-export.events';
export type { AuditExportEvent, ExportFilters, ExportFormat } from './domain/audit-export.events';
