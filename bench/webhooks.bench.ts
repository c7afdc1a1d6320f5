import { randomBytes } from 'node:crypto';
import { Job, Queue, Worker } from 'bullmq';
import { Pool } from 'pg';
import { WebhookReceiver } from '../test/support/webhook-receiver';
import { BenchSection, fmt, percentile, printRows, SECONDS } from './measure';
import { startSystem, SystemUnderTest, waitFor } from './system-under-test';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WEBHOOKS = 100;
/** The deliverer's worker concurrency, given to the bare worker too. */
const WORKER_CONCURRENCY = 16;
/** Deliveries asked for but not received yet, at most: the producers wait above it (a closed loop). */
const WINDOW = 2_000;
const DRAIN_TIMEOUT_MS = 180_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Webhook deliveries end to end — an event appended, the reactor's job, the signed POST, the
 * attempt recorded — to a local node:http receiver at 100 webhooks, against bare BullMQ
 * add → process posting to the same receiver in the same run; then the commit-to-delivery
 * latency (the event's recorded_at in the log → the receiver got it) at half the measured rate.
 */
export async function benchWebhooks(): Promise<BenchSection> {
  const receiver = await new WebhookReceiver().start();
  try {
    const baseline = await bareBullmqRate(receiver);
    const system = await startSystem('webhooks', { WEBHOOK_ALLOW_PRIVATE: 'true' });
    let measured: { rate: number; deliveries: number; latency: Latency };
    try {
      measured = await measureSystem(system, receiver);
    } finally {
      await system.stop();
    }
    const baselineLatency = await bareBullmqLatency(receiver, measured.rate / 2);

    const rows = [
      [`bare BullMQ add → process → POST, concurrency ${WORKER_CONCURRENCY} (baseline)`, baseline, 1, 'posts/s'],
      [`webhook deliveries, ${WEBHOOKS} webhooks, every event to all`, measured.rate, measured.rate / baseline, 'deliv/s'],
    ] as const;
    printRows(rows);
    const { latency } = measured;
    console.log(`  ${measured.deliveries} deliveries; target ≥ 0.5× baseline: ${measured.rate / baseline >= 0.5 ? 'met' : 'NOT met'}`);
    console.log(
      `  commit → received at ${fmt(latency.rate)} deliv/s (asked ${fmt(measured.rate / 2)}): p50 ${fmt(latency.p50, 1)} ms, p99 ${fmt(latency.p99, 1)} ms (${latency.samples} deliveries); target p99 ≤ 250 ms: ${latency.p99 <= 250 ? 'met' : 'NOT met'}`,
    );
    console.log(`  bare BullMQ add → received at the same pace (baseline): p50 ${fmt(baselineLatency.p50, 1)} ms, p99 ${fmt(baselineLatency.p99, 1)} ms`);
    return {
      rows: rows.map(([name, value, ratio, unit]) => ({ name, value, ratio, unit })),
      extra: { deliveries: measured.deliveries, commitToDelivery: latency, baselineLatency },
    };
  } finally {
    await receiver.close();
  }
}

interface Latency {
  p50: number;
  p99: number;
  samples: number;
  /** The deliveries per second actually asked for. */
  rate: number;
}

async function measureSystem(system: SystemUnderTest, receiver: WebhookReceiver): Promise<{ rate: number; deliveries: number; latency: Latency }> {
  const user = await system.verifiedUser('bench-webhooks@example.com', 'bench-user-password');
  const ws = await system.call<{ id: string }>('POST', '/v1/workspaces', { token: user.token, body: { name: 'Webhooks bench' }, expect: 201 });
  const base = `/v1/workspaces/${ws.id}`;
  const call = <T>(method: string, path: string, body: unknown, expect: number) => system.call<T>(method, `${base}${path}`, { token: user.token, body, expect });

  // The groups the latency run updates, made before any webhook exists (they deliver nothing).
  const targets: string[] = [];
  for (let i = 0; i < WEBHOOKS; i++) targets.push((await call<{ group_id: string }>('POST', '/groups', { group_name: `target-${i}` }, 201)).group_id);
  const hooks: string[] = [];
  for (let i = 0; i < WEBHOOKS; i++) {
    hooks.push((await call<{ id: string }>('POST', '/webhooks', { name: `hook-${i}`, url: receiver.url(`/hook/${i}`), event_filter: { types: ['GroupCreated'] } }, 201)).id);
  }

  // 1. Throughput: each GroupCreated goes to all 100 webhooks; the producers keep WINDOW deliveries outstanding.
  const start = receiver.received.length;
  let asked = 0;
  let n = 0;
  const began = Date.now();
  const until = began + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (Date.now() < until) {
        if (asked - (receiver.received.length - start) >= WINDOW) {
          await sleep(5);
          continue;
        }
        asked += WEBHOOKS;
        await call('POST', '/groups', { group_name: `load-${n++}` }, 201);
      }
    }),
  );
  await waitFor(async () => receiver.received.length - start >= asked, DRAIN_TIMEOUT_MS, `${asked} deliveries`);
  const last = Math.max(...receiver.received.slice(start).map((r) => r.at));
  const rate = asked / ((last - began) / 1000);
  await sleep(300);
  if (receiver.received.length - start !== asked) throw new Error(`${receiver.received.length - start} deliveries for ${asked} asked: some were sent twice`);

  // 2. Latency at half that rate: webhook i now receives only the updates of group i, one delivery per event.
  for (let i = 0; i < WEBHOOKS; i++) await call('PATCH', `/webhooks/${hooks[i]}`, { event_filter: { types: ['GroupUpdated'], target_ids: [targets[i]] } }, 200);
  // The throughput run leaves a tail of recorded attempts for the projections: measure from a
  // caught-up system, not the end of that backlog.
  await caughtUp(system.databaseUrl);
  const from = receiver.received.length;
  const sent = await paced(rate / 2, (k) => call('PATCH', `/groups/${targets[k % WEBHOOKS]}`, { description: `update ${k}` }, 200));
  await waitFor(async () => receiver.received.length - from >= sent, DRAIN_TIMEOUT_MS, `${sent} paced deliveries`);
  const got = receiver.received.slice(from);
  const pool = new Pool({ connectionString: system.databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ event_id: string; at: Date }>('SELECT event_id, recorded_at AS at FROM events WHERE event_id = ANY($1)', [
      got.map((r) => (JSON.parse(r.body) as { data: { event_id: string } }).data.event_id),
    ]);
    const recorded = new Map(rows.map((row) => [row.event_id, row.at.getTime()]));
    const latencies = got.map((r) => r.at - recorded.get((JSON.parse(r.body) as { data: { event_id: string } }).data.event_id)!);
    return { rate, deliveries: asked, latency: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), samples: latencies.length, rate: sent / SECONDS } };
  } finally {
    await pool.end();
  }
}

/** Waits until every projection and reactor has reached the head of the log. */
async function caughtUp(databaseUrl: string): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ behind: number }>(
          'SELECT count(*)::int AS behind FROM projection_checkpoints WHERE state = $1 AND position < (SELECT coalesce(max(position), 0) FROM events)',
          ['live'],
        );
        return rows[0].behind === 0;
      },
      DRAIN_TIMEOUT_MS,
      'the consumers to reach the head of the log',
    );
  } finally {
    await pool.end();
  }
}

/**
 * Fires `send(k)` at `perSecond`, open loop (a slow answer does not slow the pace), for SECONDS;
 * resolves with the number sent once every request has answered.
 */
async function paced(perSecond: number, send: (k: number) => Promise<unknown>): Promise<number> {
  const interval = 1000 / perSecond;
  const began = Date.now();
  const inFlight: Promise<unknown>[] = [];
  let k = 0;
  while (Date.now() - began < SECONDS * 1000) {
    inFlight.push(send(k++));
    const due = began + k * interval;
    if (due > Date.now()) await sleep(due - Date.now());
  }
  await Promise.all(inFlight);
  return k;
}

/** About the size of a delivery's body; `added_at` lets the receiver's side time the job. */
const bareBody = (addedAt: number) => JSON.stringify({ type: 'GroupCreated', timestamp: new Date().toISOString(), added_at: addedAt, data: { position: '1', event_id: randomBytes(16).toString('hex'), padding: 'x'.repeat(500) } });

/** A bare BullMQ worker that POSTs each job to the receiver: the floor of any queue-backed delivery. */
function bareWorker(name: string, receiver: WebhookReceiver, onDone: () => void) {
  const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
  const queue = new Queue(name, { connection, prefix: 'bench' });
  const worker = new Worker(
    name,
    async (job: Job) => {
      const res = await fetch(receiver.url(`/bare/${job.data.hook}`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: bareBody(Number(job.data.at ?? 0)) });
      await res.text();
      if (!res.ok) throw new Error(`the receiver answered ${res.status}`);
      onDone();
    },
    { connection, prefix: 'bench', concurrency: WORKER_CONCURRENCY },
  );
  const close = async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  };
  return { queue, worker, close };
}

/** Bare BullMQ: jobs added 100 at a time (as the reactor adds one event's deliveries), each POSTed by the worker. */
async function bareBullmqRate(receiver: WebhookReceiver): Promise<number> {
  let done = 0;
  const { queue, worker, close } = bareWorker(`bench-webhooks-${randomBytes(3).toString('hex')}`, receiver, () => done++);
  try {
    await worker.waitUntilReady();
    let asked = 0;
    const began = performance.now();
    const until = began + SECONDS * 1000;
    while (performance.now() < until) {
      if (asked - done >= WINDOW) {
        await sleep(5);
        continue;
      }
      await queue.addBulk(Array.from({ length: WEBHOOKS }, (_, hook) => ({ name: 'deliver', data: { hook }, opts: { removeOnComplete: true } })));
      asked += WEBHOOKS;
    }
    await waitFor(async () => done >= asked, DRAIN_TIMEOUT_MS, 'the bare deliveries');
    return done / ((performance.now() - began) / 1000);
  } finally {
    await close();
  }
}

/** Bare BullMQ at a given pace, one job at a time: added → the receiver got it. */
async function bareBullmqLatency(receiver: WebhookReceiver, perSecond: number): Promise<{ p50: number; p99: number }> {
  const from = receiver.received.length;
  const { queue, worker, close } = bareWorker(`bench-webhooks-latency-${randomBytes(3).toString('hex')}`, receiver, () => undefined);
  try {
    await worker.waitUntilReady();
    const sent = await paced(perSecond, (k) => queue.add('deliver', { hook: k % WEBHOOKS, at: Date.now() }, { removeOnComplete: true }));
    await waitFor(async () => receiver.received.length - from >= sent, DRAIN_TIMEOUT_MS, 'the paced bare deliveries');
    const latencies = receiver.received.slice(from).map((r) => r.at - (JSON.parse(r.body) as { added_at: number }).added_at);
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  } finally {
    await close();
  }
}
