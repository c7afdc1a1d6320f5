const QUARTER_HOUR_MS = 15 * 60 * 1000;
const HOUR_MS = 4 * QUARTER_HOUR_MS;

/**
 * The quarter hours `[from, to)` touches, each with the share of the interval inside it. Amounts
 * of a stretch are spread by these shares, so any zone's hours, days and months sum exactly.
 */
export function quarterHours(from: Date, to: Date): Array<{ start: Date; share: number }> {
  const begin = from.getTime();
  const end = to.getTime();
  if (end <= begin) return [{ start: new Date(begin - (begin % QUARTER_HOUR_MS)), share: 1 }];
  const buckets: Array<{ start: Date; share: number }> = [];
  for (let start = begin - (begin % QUARTER_HOUR_MS); start < end; start += QUARTER_HOUR_MS) {
    const inside = Math.min(end, start + QUARTER_HOUR_MS) - Math.max(begin, start);
    buckets.push({ start: new Date(start), share: inside / (end - begin) });
  }
  return buckets;
}

/** First day of the UTC month `at` falls in, as `YYYY-MM-01`. */
export function utcMonthOf(at: Date): string {
  return `${at.toISOString().slice(0, 7)}-01`;
}

/** Start of the UTC hour `at` falls in. */
export function utcHourOf(at: Date): Date {
  return new Date(at.getTime() - (((at.getTime() % HOUR_MS) + HOUR_MS) % HOUR_MS));
}
