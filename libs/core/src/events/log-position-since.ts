import { EventStore, RecordedEvent } from '@streamplane/eventstore';

async function firstAfter(store: EventStore, position: bigint): Promise<RecordedEvent | undefined> {
  for await (const event of store.readAll({ after: position, maxCount: 1 })) return event;
  return undefined;
}

/**
 * A position to read the log after so as to see every event recorded since `since`, found through
 * the port alone (it has no time index) by a binary search over positions: about log2(head)
 * one-event reads. It leans on recording times growing with positions, which holds up to the
 * length of a transaction; the answer errs early (one older event is read), never late.
 */
export async function logPositionSince(store: EventStore, since: Date): Promise<bigint> {
  const isOld = (event: RecordedEvent | undefined) => event !== undefined && event.recordedAt < since;
  // Invariant: the first event after `low` is older than `since`; none after `high` is.
  let low = 0n;
  let high = await store.headPosition();
  if (!isOld(await firstAfter(store, low))) return 0n;
  while (high - low > 1n) {
    const middle = (low + high) / 2n;
    if (isOld(await firstAfter(store, middle))) low = middle;
    else high = middle;
  }
  return low;
}
