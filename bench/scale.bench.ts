import { loadavg } from 'node:os';
import { Pool } from 'pg';
import { seedStreams } from '@streamplane/testing';
import { BenchSection, fmt, percentile } from './measure';
import { startSystem } from './system-under-test';

const STREAMS = Number(process.env.BENCH_SCALE_STREAMS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_SCALE_REQUESTS ?? 200);
const TARGET_P99_MS = 20;

/**
 * `npm run bench -- scale`: one workspace with STREAMS streams (and a status-log row each, every
 * hundredth in one group) put straight into the read model, then each list and filter read
 * through HTTP one request at a time: p50/p99 per route, against the target p99 ≤ 20 ms.
 */
export async function benchScale(): Promise<BenchSection> {
  const system = await startSystem('scale');
  const pool = new Pool({ connectionString: system.databaseUrl, max: 2 });
  try {
    const user = await system.verifiedUser(`scale-${Date.now()}@bench.test`, 'bench-password-123');
    const ws = await system.call<{ id: string }>('POST', '/v1/workspaces', { token: user.token, body: { name: 'Scale bench' }, expect: 201 });
    const seeding = performance.now();
    await seedStreams(pool, ws.id, STREAMS, { group: 'scale-group', logs: true });
    console.log(`seeded ${fmt(STREAMS)} streams and their logs in ${fmt((performance.now() - seeding) / 1000, 1)} s`);

    const base = `${system.url}/v1/workspaces/${ws.id}`;
    const get = async (path: string): Promise<{ ms: number; body: Record<string, unknown> }> => {
      const started = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${user.token}` } });
      const body = (await res.json()) as Record<string, unknown>;
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(body)}`);
      return { ms, body };
    };
    const cursorAt = async (path: string, page: number) => {
      const { body } = await get(`${path}${path.includes('?') ? '&' : '?'}page_size=20&page=${page}`);
      return encodeURIComponent(String(body.next_cursor));
    };
    const { rows: some } = await pool.query<{ id: string }>(`SELECT id FROM read.streams WHERE workspace_id = $1 ORDER BY id LIMIT 5`, [ws.id]);
    const deepStreams = await cursorAt('/streams', Math.floor(STREAMS / 20) - 100);
    const deepPaused = await cursorAt('/streams?statuses=pause', Math.floor(STREAMS / 200) - 100);
    const deepLogs = await cursorAt('/streams/logs', Math.floor(STREAMS / 20) - 100);
    const middle = new Date(Date.parse('2020-01-01T00:00:00Z') + STREAMS / 2).toISOString();

    const routes: Array<[string, string]> = [
      ['streams, first page', '/streams?page_size=20'],
      ['streams, first page, count=exact', '/streams?page_size=20&count=exact'],
      ['streams, page 1000 by offset (contract)', '/streams?page_size=20&page=1000'],
      ['streams, deep page by cursor', `/streams?page_size=20&cursor=${deepStreams}`],
      ['streams ?stream_ids (5)', `/streams?stream_ids=${some.map((r) => r.id).join(',')}`],
      ['streams ?names (2)', '/streams?names=seed-5,seed-77'],
      ['streams ?reference (1,000 match)', `/streams?reference=${encodeURIComponent('file:///seed/7.mp4')}`],
      ['streams ?statuses=pause (10%)', '/streams?statuses=pause'],
      ['streams ?statuses=pause, deep by cursor', `/streams?statuses=pause&cursor=${deepPaused}`],
      ['streams ?statuses=done (90%)', '/streams?statuses=done'],
      ['streams ?create_time__gte&__lt (half)', `/streams?create_time__gte=${middle}&create_time__lt=2030-01-01T00:00:00Z`],
      ['streams ?group_name (1%)', '/streams?group_name=scale-group'],
      ['streams/count', '/streams/count'],
      ['streams/count ?statuses=pause', '/streams/count?statuses=pause'],
      ['streams/count ?reference', `/streams/count?reference=${encodeURIComponent('file:///seed/7.mp4')}`],
      ['streams/logs, first page', '/streams/logs'],
      ['streams/logs, deep page by cursor', `/streams/logs?cursor=${deepLogs}`],
      ['streams/logs ?statuses=pause', '/streams/logs?statuses=pause'],
      ['streams/logs ?stream_ids (5)', `/streams/logs?stream_ids=${some.map((r) => r.id).join(',')}`],
      ['groups', '/groups'],
      ['groups ?group_names', '/groups?group_names=scale-group'],
      ['instances', '/instances'],
      ['instances ?status=running', '/instances?status=running'],
    ];
    const load = loadavg()[0];
    console.log(`${fmt(REQUESTS)} requests each, one at a time; load average ${fmt(load, 2)} at the start`);
    console.log(`${'route'.padEnd(44)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
    const figures: Record<string, { p50: number; p99: number }> = {};
    for (const [name, path] of routes) {
      for (let i = 0; i < 10; i++) await get(path);
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) times.push((await get(path)).ms);
      figures[name] = { p50: percentile(times, 50), p99: percentile(times, 99) };
      const over = figures[name].p99 > TARGET_P99_MS && !name.includes('(contract)') && !name.includes('count') ? `  over ${TARGET_P99_MS} ms` : '';
      console.log(`${name.padEnd(44)} ${fmt(figures[name].p50, 1).padStart(8)} ${fmt(figures[name].p99, 1).padStart(8)}${over}`);
    }
    console.log(`load average ${loadavg().map((n) => fmt(n, 2)).join(' ')} at the end`);
    return {
      rows: Object.entries(figures).map(([name, { p99 }]) => ({ name: `${name} p99`, value: p99, ratio: p99 / TARGET_P99_MS, unit: 'ms' })),
      extra: { streams: STREAMS, requests: REQUESTS, load_average_at_start: load, figures },
    };
  } finally {
    await pool.end();
    await system.stop();
  }
}
