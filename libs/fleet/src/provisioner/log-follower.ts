import { open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { matchesLogQuery, parseLogLine } from './log-lines';
import { FollowedLogLine, LogFollow } from './provisioner.port';

const POLL_MS = 250;

/** The byte length of the file, 0 when it does not exist yet (an instance not started yet). */
async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** The complete lines between two byte offsets, each with the offset right after it (its id). */
async function linesBetween(file: string, from: number, to: number): Promise<FollowedLogLine[]> {
  if (to <= from) return [];
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    const lines: FollowedLogLine[] = [];
    let start = 0;
    for (let i = 0; i < bytesRead; i++) {
      if (buffer[i] !== 0x0a) continue;
      const text = buffer.subarray(start, i).toString('utf8');
      if (text) lines.push({ ...parseLogLine(text), id: String(from + i + 1) });
      start = i + 1;
    }
    return lines;
  } finally {
    await handle.close();
  }
}

/**
 * Follows an append-only log file: first the last `limit` matching lines (or, resuming, every line
 * after the byte offset `after`), then each new complete line as it is written, until `signal`
 * aborts. A line's id is the byte offset right after it, so resuming from an id misses and
 * repeats nothing; a line still being written is read once it ends.
 */
export async function* followLogFile(file: string, follow: LogFollow, signal: AbortSignal): AsyncGenerator<FollowedLogLine> {
  const size = await sizeOf(file);
  let offset = follow.after !== undefined ? Math.min(follow.after, size) : size;
  if (follow.after === undefined) {
    const backlog = (await linesBetween(file, 0, size)).filter((line) => matchesLogQuery(line, follow.query));
    yield* backlog.slice(-follow.query.limit);
  }
  while (!signal.aborted) {
    const end = await sizeOf(file);
    const fresh = await linesBetween(file, offset, end);
    if (fresh.length) offset = Number(fresh[fresh.length - 1].id);
    for (const line of fresh) if (matchesLogQuery(line, follow.query)) yield line;
    await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
}
