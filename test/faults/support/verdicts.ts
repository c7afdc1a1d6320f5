import { Attempt, settleKey, StreamLoad } from './stream-load';
import { System } from './system';

/** Processes that exited without the test killing them. */
export function exits(system: System): string[] {
  return system.processes.flatMap((p) => p.unexpectedExits().map((e) => `process ${p.name} exited (code ${e.code}, signal ${e.signal})`));
}

/** Anything but success, 503 + Retry-After, or 409 + Retry-After, and every dropped connection. */
export function wrongAnswers(attempts: Attempt[]): string[] {
  return attempts
    .filter((a) => a.verdict === 'bad' || a.verdict === 'dropped' || a.verdict === 'not_found')
    .slice(0, 15)
    .map((a) => `${a.phase} +${a.at} ms (${a.ms} ms): ${a.verdict}: ${a.detail}`);
}

/**
 * Retries every key of the load, 4 at a time, until 201 or the budget is spent: keys not reached
 * by then count as failures (a system that answers slowly must not stretch the test unbounded).
 */
export async function settleAll(load: StreamLoad, budgetMs: number): Promise<{ problems: string[]; finalIds: Map<string, string> }> {
  const deadline = Date.now() + budgetMs;
  const acknowledged = load.acknowledged();
  const records = [...load.keys.values()];
  const problems: string[] = [];
  const finalIds = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < records.length && Date.now() < deadline) {
      const record = records[next++];
      const final = await settleKey(load, record, deadline);
      const original = acknowledged.get(record.key);
      if (final.verdict !== 'ok' || !final.streamId) problems.push(`retrying ${record.key}: ${final.verdict} ${final.detail}`);
      else if (original && final.streamId !== original) problems.push(`retrying ${record.key}: stream ${final.streamId}, but the first 201 said ${original}`);
      else if (original && !final.replayed) problems.push(`retrying ${record.key}: 201 without Idempotent-Replayed`);
      if (final.streamId) finalIds.set(record.key, final.streamId);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  if (next < records.length) problems.unshift(`${records.length - next} of ${records.length} keys not retried within ${budgetMs} ms`);
  return { problems: problems.slice(0, 15), finalIds };
}

/** Every key: exactly one StreamCreated in the log and one stream in the read model, the ids it answered. */
export function ledger(
  load: StreamLoad,
  finalIds: Map<string, string>,
  byKey: Map<string, string[]>,
  byStream: Map<string, number>,
  inReadModel: Array<{ stream_id: string; name: string }>,
): string[] {
  const problems: string[] = [];
  const byName = new Map<string, string[]>();
  for (const s of inReadModel) byName.set(s.name, [...(byName.get(s.name) ?? []), s.stream_id]);
  for (const [key, id] of finalIds) {
    const logged = byKey.get(key) ?? [];
    if (logged.length !== 1 || logged[0] !== id) problems.push(`${key}: answered ${id}, the log has StreamCreated for [${logged.join(', ')}]`);
    const read = byName.get(key) ?? [];
    if (read.length !== 1 || read[0] !== id) problems.push(`${key}: answered ${id}, the read model has [${read.join(', ')}]`);
  }
  for (const [stream, count] of byStream) if (count !== 1) problems.push(`stream ${stream}: ${count} StreamCreated events`);
  for (const key of byKey.keys()) if (!load.keys.has(key)) problems.push(`the log has a create under a key nobody sent: ${key}`);
  return problems.slice(0, 20);
}
