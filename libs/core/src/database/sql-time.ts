/**
 * SQL for a timestamptz as the API shows times: ISO 8601 in UTC with milliseconds and a `Z`
 * (`2026-11-25T10:00:00.000Z`), whatever the server's TimeZone setting. NULL stays NULL.
 */
export function isoTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
