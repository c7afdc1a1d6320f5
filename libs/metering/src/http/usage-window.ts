import { ValidationError } from '@streamplane/core';
import { UsageQuery } from '../queries/usage-reports';
import { AdminUsageQueryParams, USAGE_MODES, UsageQueryParams } from './usage.dto';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The window a usage read covers: `current` is `from`..`to` (default the last 24 hours up to now),
 * `global` all time up to `to`. A 400 names the field that makes it impossible.
 */
export function usageWindow(mode: string, from: string | undefined, to: string | undefined, now: Date): { from?: Date; to: Date } {
  if (!(USAGE_MODES as readonly string[]).includes(mode)) {
    throw new ValidationError('the request has invalid fields', [{ field: 'mode', message: `mode must be one of ${USAGE_MODES.join(', ')}` }]);
  }
  const end = to ? new Date(to) : now;
  if (mode === 'global') {
    if (from !== undefined) throw new ValidationError('the request has invalid fields', [{ field: 'from', message: 'global covers all time: give from only with current' }]);
    return { to: end };
  }
  const start = from ? new Date(from) : new Date(end.getTime() - DAY_MS);
  if (start >= end) throw new ValidationError('the request has invalid fields', [{ field: 'from', message: 'from must be before to' }]);
  return { from: start, to: end };
}

/** The usage read a route asks for: its window, filters and grouping, in one workspace or across them. */
export function usageQueryOf(mode: string, query: UsageQueryParams | AdminUsageQueryParams, now: Date, workspaceId?: string): UsageQuery {
  return {
    workspaceId,
    ...usageWindow(mode, query.from, query.to, now),
    clusterId: query.cluster_id,
    subjectType: query.subject_type,
    groupBy: query.group_by,
    window: query.window,
    tz: query.tz ?? 'UTC',
  };
}
