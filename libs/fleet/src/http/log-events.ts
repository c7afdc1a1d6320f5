import { setTimeout as sleep } from 'node:timers/promises';
import { FollowedLogLine } from '../provisioner/provisioner.port';

/** A comment line every so often keeps proxies from closing a quiet stream and shows a dead client. */
export const HEARTBEAT_MS = 15_000;

const frame = (line: FollowedLogLine): string => `id: ${line.id}\nevent: log\ndata: ${JSON.stringify({ time: line.time, severity: line.severity, line: line.line })}\n\n`;

/**
 * Server-sent events of followed log lines: one `log` event per line, its id the place to resume
 * from (Last-Event-ID), and a `: heartbeat` comment after each quiet HEARTBEAT_MS. Ends when the
 * lines end, which they do once `signal` aborts (the client went away).
 */
export async function* logEvents(lines: AsyncIterable<FollowedLogLine>, signal: AbortSignal, heartbeatMs = HEARTBEAT_MS): AsyncGenerator<string> {
  const iterator = lines[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    yield ': following\n\n';
    while (!signal.aborted) {
      const beat = new AbortController();
      const quiet = sleep(heartbeatMs, 'quiet' as const, { signal: beat.signal }).catch(() => 'stopped' as const);
      const result = await Promise.race([next, quiet]);
      beat.abort();
      if (result === 'quiet') {
        yield ': heartbeat\n\n';
        continue;
      }
      if (result === 'stopped' || result.done) return;
      yield frame(result.value);
      next = iterator.next();
    }
  } finally {
    await iterator.return?.();
  }
}
