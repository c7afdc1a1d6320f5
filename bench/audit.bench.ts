import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { inLanes } from '@streamplane/core';
import { PostgresEventStore } from '@streamplane/eventstore';
import { BenchSection, fmt, percentile, printRows } from './measure';
import { startSystem, waitFor } from './system-under-test';

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 100_000);
const PER_STREAM = 100;
const ACTORS = Array.from({ length: 10 }, () => randomUUID());
const PAGES = 200;

/** Resident memory of a process now, in MB (Linux). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
}

/**
 * The events API over a log of BENCH_AUDIT_EVENTS (100,000) events of one workspace, appended
 * straight to the store and projected by the system: a page of 100 with three filters (type,
 * actor, since), p50/p99, against the bare indexed SELECT of 100 events from the store; then one
 * export of them all, events/s and the system's RSS while it streams.
 */
export async function benchAudit(): Promise<BenchSection> {
  const system = await startSystem('audit');
  const pool = new Pool({ connectionString: system.databaseUrl, max: 8 });
  try {
    const owner = await system.verifiedUser(`audit.${Date.now()}@bench.test`, 'bench-password-123');
    const ws = await system.call<{ id: string }>('POST', '/v1/workspaces', { token: owner.token, body: { name: 'audited' }, expect: 201 });
    const store = new PostgresEventStore(pool, system.databaseUrl);
    const start = Date.now();
    const streams = Array.from({ length: EVENTS / PER_STREAM }, () => randomUUID());
    await inLanes(streams, 8, (id, s) =>
      store.append(
        `group-${id}`,
        Array.from({ length: PER_STREAM }, (_, n) => {
          const at = new Date(start + s * PER_STREAM + n).toISOString();
          const metadata = { event_version: 1, workspace_id: ws.id, actor: { type: 'user', id: ACTORS[(s + n) % ACTORS.length] }, occurred_at: at, $correlationId: randomUUID() };
          return { eventId: randomUUID(), type: 'GroupUpdated', data: { at, description: `change ${n}` }, metadata };
        }),
        'any',
      ),
    );
    await store.close();
    await waitFor(async () => Number((await pool.query('SELECT count(*) AS n FROM read.audit_events WHERE workspace_id = $1', [ws.id])).rows[0].n) >= EVENTS, 600_000, 'the audit projection');

    const since = new Date(start + EVENTS / 4).toISOString();
    const api: number[] = [];
    let after = '';
    for (let i = 0; i < PAGES; i++) {
      const t0 = performance.now();
      const page = await system.call<{ next_after: string | null }>('GET', `/v1/workspaces/${ws.id}/events?types=GroupUpdated&actor_id=${ACTORS[i % ACTORS.length]}&since=${since}&limit=100${after ? `&after=${after}` : ''}`, { token: owner.token });
      api.push(performance.now() - t0);
      after = page.next_after ?? '';
    }
    const bare: number[] = [];
    for (let i = 0, from = '0'; i < PAGES; i++) {
      const t0 = performance.now();
      const { rows } = await pool.query<{ position: string }>('SELECT position, event_id, type, stream_id, revision, data, metadata, recorded_at FROM events WHERE position > $1 ORDER BY position LIMIT 100', [from]);
      bare.push(performance.now() - t0);
      from = rows[rows.length - 1]?.position ?? '0';
    }

    let peak = system.pid ? rssMb(system.pid) : NaN;
    const before = peak;
    const sampler = setInterval(() => (peak = Math.max(peak, system.pid ? rssMb(system.pid) : NaN)), 100);
    const t0 = performance.now();
    const res = await fetch(`${system.url}/v1/workspaces/${ws.id}/events/export?types=GroupUpdated`, { headers: { authorization: `Bearer ${owner.token}` } });
    let lines = 0;
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (const c of decoder.decode(chunk, { stream: true })) if (c === '\n') lines++;
    const exportRate = lines / ((performance.now() - t0) / 1000);
    clearInterval(sampler);

    const p = (values: number[], q: number) => percentile(values, q);
    const rows = [
      ['bare SELECT of 100 events by position (baseline)', 1000 / p(bare, 50), 1, 'pages/s'],
      ['events API page of 100, three filters', 1000 / p(api, 50), p(bare, 50) / p(api, 50), 'pages/s'],
      ['export NDJSON', exportRate, NaN, 'events/s'],
    ] as const;
    printRows(rows);
    console.log(`  page of 100, three filters, over ${fmt(EVENTS)} events: p50 ${fmt(p(api, 50), 1)} ms, p99 ${fmt(p(api, 99), 1)} ms (bare SELECT p50 ${fmt(p(bare, 50), 1)} ms, p99 ${fmt(p(bare, 99), 1)} ms)`);
    console.log(`  export of ${fmt(lines)} events: ${fmt(exportRate)} events/s (target ≥ 20,000); system RSS ${fmt(before)} MB before, peak ${fmt(peak)} MB while streaming`);
    return { rows: rows.map(([name, value, ratio, unit]) => ({ name, value, ratio, unit })), extra: { apiP50: p(api, 50), apiP99: p(api, 99), bareP99: p(bare, 99), exported: lines, rssBefore: before, rssPeak: peak } };
  } finally {
    await pool.end();
    await system.stop();
  }
}
