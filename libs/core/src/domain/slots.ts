/**
 * Slots: a limit held on one stream whose events say who holds what (an instance of a workspace's
 * instance limit, a workspace of an account's cap). A request takes its slot before it writes its
 * own entity, so one that died in between holds a slot for nothing; a Take at the limit reclaims
 * such holders once they are older than a grace period (younger ones may be requests in flight).
 */

/** The holders (id → whatever the slot records) taken at least `graceMs` before `now`. */
export function staleSlotHolders<Holder>(holders: ReadonlyMap<string, Holder>, takenAt: (holder: Holder) => Date, now: Date, graceMs: number): string[] {
  return [...holders].filter(([, holder]) => now.getTime() - takenAt(holder).getTime() >= graceMs).map(([id]) => id);
}

/** Of the holders a handler found dead (`found`, a lookup handed in as data), those a Take may reclaim: still holding, stale, each once. */
export function reclaimableSlots<Holder>(holders: ReadonlyMap<string, Holder>, takenAt: (holder: Holder) => Date, found: readonly string[], now: Date, graceMs: number): string[] {
  const stale = new Set(staleSlotHolders(holders, takenAt, now, graceMs));
  return [...new Set(found)].filter((id) => stale.has(id));
}
