import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { Job, Queue, Worker } from 'bullmq';
import { Pool } from 'pg';
import { BenchSection, fmt, percentile, printRows, rate, SECONDS } from './measure';
import { startSystem } from './system-under-test';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TAKERS = 8;
const TAKE_LIMIT = 10;

/**
 * The processing queue through HTTP — streams created per second, taken per second, and the
 * StreamQueued → taken latency — against BullMQ's own add → process rate and latency on the same
 * Redis, measured in this run as the baseline.
 */
export async function benchStreams(): Promise<BenchSection> {
  const baseline = await bullmqBaseline();
  const system = await startSystem('streams', process.env.BENCH_RYW_TIMEOUT ? { READ_YOUR_WRITES_TIMEOUT_MS: process.env.BENCH_RYW_TIMEOUT } : {});
  try {
    const user = await system.verifiedUser('bench-streams@example.com', 'bench-user-password');
    const ws = await system.call<{ id: string }>('POST', '/v1/workspaces', { token: user.token, body: { name: 'Bench' }, expect: 201 });
    const path = `/v1/workspaces/${ws.id}`;
    const body = { data: { reference: 'file:///dev/null' }, event_handler: {} };

    // 1. Creates through HTTP, as fast as 16 connections go (each answers after its read models).
    const created = await autocannon({
      url: `${system.url}${path}/streams`,
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      connections: 16,
      duration: SECONDS,
    });
    if (created.non2xx || created.errors) throw new Error(`creates failed under load: ${created.non2xx} non-2xx, ${created.errors} errors`);

    // 2. Takes: concurrent takers drain that backlog.
    const take = () => system.call<{ items: unknown[] }>('POST', `${path}/queue/take`, { token: user.token, body: { limit: TAKE_LIMIT }, expect: 200 });
    const takenRate = await rate(TAKERS, SECONDS, async () => (await take()).items.length);

    // 3. Latency: one stream at a time joins an empty queue while the takers poll.
    const pool = new Pool({ connectionString: system.databaseUrl, max: 2 });
    await drain(take);
    const stop = { now: false };
    const pollers = Array.from({ length: 2 }, async () => {
      while (!stop.now) if ((await take()).items.length === 0) await new Promise((r) => setTimeout(r, 2));
    });
    const ids: string[] = [];
    const until = Date.now() + SECONDS * 1000;
    while (Date.now() < until) {
      ids.push((await system.call<{ stream_id: string }>('POST', `${path}/streams`, { token: user.token, body, expect: 201 })).stream_id);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 500));
    stop.now = true;
    await Promise.all(pollers);
    const { rows } = await pool.query<{ ms: number }>(
      `SELECT extract(epoch FROM (t.log_time - q.log_time)) * 1000 AS ms FROM read.stream_logs q JOIN read.stream_logs t ON t.stream_id = q.stream_id AND t.status = 'in_progress'
        WHERE q.status = 'pending' AND q.stream_id = ANY($1::uuid[])`,
      [ids],
    );
    await pool.end();
    const latencies = rows.map((r) => Number(r.ms));

    const rows_ = [
      ['BullMQ add → process, 16 producers (baseline)', baseline.rate, 1, 'jobs/s'],
      ['POST /streams (create + StreamQueued), 16 connections', created.requests.average, created.requests.average / baseline.rate, 'req/s'],
      [`queue/take, ${TAKERS} takers × limit ${TAKE_LIMIT}`, takenRate, takenRate / baseline.rate, 'streams/s'],
    ] as const;
    printRows(rows_);
    const latency = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), samples: latencies.length, unmatched: ids.length - latencies.length };
    console.log(`  POST /streams latency: median ${fmt(created.latency.p50, 1)} ms, p99 ${fmt(created.latency.p99, 1)} ms`);
    console.log(`  StreamQueued → taken: p50 ${fmt(latency.p50, 1)} ms, p99 ${fmt(latency.p99, 1)} ms (${latency.samples} streams, 2 takers polling)`);
    console.log(`  BullMQ add → process latency (baseline): p50 ${fmt(baseline.p50, 1)} ms, p99 ${fmt(baseline.p99, 1)} ms`);
    return { rows: rows_.map(([name, value, ratio, unit]) => ({ name, value, ratio, unit })), extra: { queuedToTaken: latency, baselineLatency: { p50: baseline.p50, p99: baseline.p99 } } };
  } finally {
    await system.stop();
  }
}

async function drain(take: () => Promise<{ items: unknown[] }>): Promise<void> {
  while ((await take()).items.length > 0);
}

/** Plain BullMQ on the same Redis: producers add, a worker processes; rate and add→process latency. */
async function bullmqBaseline(): Promise<{ rate: number; p50: number; p99: number }> {
  const name = `bench-baseline-${randomBytes(3).toString('hex')}`;
  const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
  const queue = new Queue(name, { connection, prefix: 'bench' });
  const latencies: number[] = [];
  let processed = 0;
  const worker = new Worker(
    name,
    async (job: Job) => {
      latencies.push(Date.now() - Number(job.data.at));
      processed++;
    },
    { connection, prefix: 'bench', concurrency: 16 },
  );
  await worker.waitUntilReady();
  const started = Date.now();
  await rate(16, SECONDS, async () => {
    await queue.add('job', { at: Date.now() }, { removeOnComplete: true });
  });
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'active');
    if (counts.waiting + counts.active === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (Date.now() - started) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { rate: processed / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
