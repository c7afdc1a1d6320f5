import { Injectable } from '@nestjs/common';
import { EventView } from '@streamplane/core';
import { ExportFormat } from '../domain/audit-export.events';
import { EventLog, EventQuery } from './event-log';

/** Events read per page: one page is all an export holds at a time, however long the log. */
const EXPORT_PAGE = 500;

export const CSV_COLUMNS = [
  'position', 'event_id', 'type', 'event_version', 'stream_id', 'revision', 'target_type', 'target_id', 'actor_type', 'actor_id', 'occurred_at',
  'correlation_id', 'causation_id', 'request_id', 'data',
] as const;

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. A field a
 * spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab or carriage return first: a
 * client chooses its X-Request-Id, say) starts with an apostrophe, so opening the export runs
 * nothing.
 */
export function csvField(value: string | number | null): string {
  const raw = value === null ? '' : String(value);
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line of the export (with its line break) in the asked format. */
export function exportLine(event: EventView, format: ExportFormat): string {
  if (format === 'ndjson') return `${JSON.stringify(event)}\n`;
  const { target, actor, metadata } = event;
  const fields = [event.position, event.event_id, event.type, event.event_version, event.stream_id, event.revision, target.type, target.id, actor.type, actor.id, event.occurred_at];
  return `${[...fields, metadata.correlation_id, metadata.causation_id, metadata.request_id, JSON.stringify(event.data)].map(csvField).join(',')}\r\n`;
}

/**
 * The lines of an export, a page of them per chunk, read only when the consumer asks for more: a stream
 * built on it (Readable.from) pulls the next page only when the socket has drained, so memory
 * stays one page whatever the number of events. `sent` counts the events handed out so far.
 */
@Injectable()
export class EventExport {
  constructor(private readonly log: EventLog) {}

  async *lines(query: Omit<EventQuery, 'after' | 'limit'>, format: ExportFormat, sent: { count: number }): AsyncGenerator<string> {
    if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
    let after: bigint | undefined;
    for (;;) {
      const page = await this.log.page({ ...query, after, limit: EXPORT_PAGE });
      // One chunk per page: a write per line costs the socket more than the lines do.
      if (page.items.length) yield page.items.map((event) => exportLine(event, format)).join('');
      sent.count += page.items.length;
      if (page.next_after === null) return;
      after = BigInt(page.next_after);
    }
  }
}
