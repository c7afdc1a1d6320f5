import { LogLine, LogQuery } from './provisioner.port';

/** The levels a media node writes, least severe first; a filter keeps its level and those after it. */
export const LOG_SEVERITIES = ['debug', 'info', 'warn', 'error'] as const;
export type LogSeverity = (typeof LOG_SEVERITIES)[number];

/**
 * One line of an instance's log as clients see it. The media node writes JSON lines with `time`
 * and `level`; a JSON line without a level (a media node from before levels) counts as `info`;
 * anything else is what the process wrote to stderr as it died (a crash trace): an `error`,
 * without a time of its own.
 */
export function parseLogLine(line: string): LogLine {
  let parsed: { time?: unknown; level?: unknown } | undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null) parsed = value;
  } catch {
    parsed = undefined;
  }
  if (!parsed) return { time: null, severity: 'error', line };
  const level = (LOG_SEVERITIES as readonly unknown[]).includes(parsed.level) ? (parsed.level as LogSeverity) : 'info';
  return { time: typeof parsed.time === 'string' ? parsed.time : null, severity: level, line };
}

/** Whether a line passes the query's time window, severity and search (the limit aside). */
export function matchesLogQuery(entry: LogLine, query: Omit<LogQuery, 'limit'>): boolean {
  const time = entry.time === null ? null : Date.parse(entry.time);
  if ((query.since || query.until) && (time === null || Number.isNaN(time))) return false;
  if (query.since && time! < query.since.getTime()) return false;
  if (query.until && time! >= query.until.getTime()) return false;
  if (query.severity && LOG_SEVERITIES.indexOf(entry.severity) < LOG_SEVERITIES.indexOf(query.severity)) return false;
  return !query.search || entry.line.toLowerCase().includes(query.search.toLowerCase());
}
