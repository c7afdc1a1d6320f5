/**
 * Groups an async stream into batches: as many items as are ready right now, up to `max`. A batch
 * closes when the source would have to wait (its next item is not ready by the next turn of the
 * event loop), so a quiet log is handled at once and a busy one in large batches.
 */
export async function* batches<T>(source: AsyncIterable<T>, max: number): AsyncIterable<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  const idle = Symbol('idle');
  let pending = iterator.next();
  try {
    while (true) {
      const first = await pending;
      if (first.done) return;
      const batch = [first.value];
      pending = iterator.next();
      while (batch.length < max) {
        const next = await Promise.race([pending, new Promise<typeof idle>((resolve) => setImmediate(() => resolve(idle)))]);
        if (next === idle) break;
        if (next.done) {
          yield batch;
          return;
        }
        batch.push(next.value);
        pending = iterator.next();
      }
      yield batch;
    }
  } finally {
    await iterator.return?.();
  }
}
