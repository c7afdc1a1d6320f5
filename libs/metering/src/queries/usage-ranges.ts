const QUARTER_MS = 15 * 60 * 1000;
const HOUR_MS = 4 * QUARTER_MS;

const floorTo = (ms: number, step: number) => ms - (((ms % step) + step) % step);
const ceilTo = (ms: number, step: number) => floorTo(ms + step - 1, step);

/** `[from, to)` of bucket starts; `from` null is the beginning of time. */
export interface BucketRange {
  from: Date | null;
  to: Date;
}

/**
 * Where a usage read takes `[from, to)` from. Usage is kept per quarter hour, and a read counts
 * every quarter hour it touches: those starting from the one holding `from` up to the one holding
 * the instant before `to`. The whole UTC hours among them can come from the hourly totals; the
 * ragged quarter hours at either end (at most three each) come from the quarter-hour rollup.
 */
export function usageRanges(from: Date | undefined, to: Date): { quarters: BucketRange; hours: BucketRange | null; edges: BucketRange[] } {
  const first = from === undefined ? null : floorTo(from.getTime(), QUARTER_MS);
  const end = ceilTo(to.getTime(), QUARTER_MS);
  const quarters = { from: first === null ? null : new Date(first), to: new Date(end) };
  const hoursFrom = first === null ? null : ceilTo(first, HOUR_MS);
  const hoursTo = floorTo(end, HOUR_MS);
  if (hoursFrom !== null && hoursFrom >= hoursTo) return { quarters, hours: null, edges: [quarters] };
  const hours = { from: hoursFrom === null ? null : new Date(hoursFrom), to: new Date(hoursTo) };
  const edges = [
    ...(first !== null && first < hoursFrom! ? [{ from: new Date(first), to: new Date(hoursFrom!) }] : []),
    ...(hoursTo < end ? [{ from: new Date(hoursTo), to: new Date(end) }] : []),
  ];
  return { quarters, hours, edges };
}
