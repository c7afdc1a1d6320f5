/**
 * Runs `work` on every item with at most `lanes` of them in flight, and answers the results in the
 * items' order. Concurrent commands in one process share the event store's group commits, so a
 * batch of independent commands goes much faster in lanes than one after another; the bound keeps
 * them from taking every pooled connection at once. A failure stops the lanes taking more items and
 * rejects with it, once the items already started have settled.
 */
export async function inLanes<T, R>(items: readonly T[], lanes: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) {
      try {
        results[i] = await work(items[i], i);
      } catch (error) {
        next = items.length;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return results;
}
