import { randomBytes, randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import IORedis from 'ioredis';
import { CheckpointStore, ConsistencyService, EventCatalog, loadConfig } from '@streamplane/core';
import { EVENT_STORE, EventData, EventStore } from '@streamplane/eventstore';
import { amountsFor } from '@streamplane/metering/domain/usage-arithmetic';
import { UsageRates } from '@streamplane/metering/domain/usage.events';
import { MeteringJobs } from '@streamplane/metering/jobs/metering-jobs';
import { RUN_TRACKER } from '@streamplane/metering/queries/meter-directory';
import { UsageRatesSource } from '@streamplane/metering/runs/usage-rates';
import { createTestDatabase, TestDatabase } from '@streamplane/testing';
import { createApp } from '../apps/streamplane/src/start';
import { BenchSection, fmt, percentile, printRows } from './measure';
import { BENCH_ADMIN, waitFor } from './system-under-test';

/** Running units the tick meters at once. */
const TICK_UNITS = Number(process.env.BENCH_TICK_UNITS ?? 5000);
/** Events per append of the baseline (as the eventstore section's batched appends). */
const APPEND_BATCH = 100;
/** Units of the usage workspace and one-minute stretches each: 1,000,000 usage events. */
const QUERY_UNITS = 1000;
/** Other workspaces beside the two measured, each with OTHER_UNITS units over 30 days: one workspace's read must use its own keys. */
const OTHER_WORKSPACES = 48;
const OTHER_UNITS = 20;
const STRETCHES_PER_UNIT = Number(process.env.BENCH_STRETCHES_PER_UNIT ?? 1000);
/** Of those units, how many are still running (their unrecorded time counts up to now). */
const QUERY_RUNNING = 100;
const REQUESTS = 200;
const WARM_UP = 20;
const SEED_CONCURRENCY = 16;

interface Latencies {
  p50: number;
  p99: number;
  max: number;
}

/**
 * Metering, in one process on a fresh database, against baselines from the same run:
 *
 * (a) one tick over TICK_UNITS running units (UsageMeteringStarted in each `usage-<id>` stream and
 *     its row in read.usage_meters, started a minute ago) — wall time and UsageRecorded events/s —
 *     against the same number of UsageRecorded-shaped events appended straight through the store in
 *     batches of APPEND_BATCH (and, for scale, one append per stream, one after another: the floor
 *     of a design that appends once per unit);
 * (b) GET /v1/workspaces/{ws}/usage/current over a workspace with 1,000,000 one-minute usage
 *     events (QUERY_UNITS × STRETCHES_PER_UNIT), written straight into read.usage_rollup (with its
 *     hourly totals and spans) and read.usage_meters as the usage projection would have left them,
 *     in two spreads: all inside the default 24-hour window (the densest case for it) and over the
 *     last 30 days, among OTHER_WORKSPACES more workspaces of OTHER_UNITS units each. p50/p99 of REQUESTS
 *     sequential requests, against the rollup's sum for the same window run as one bare SQL
 *     statement, and GET /v1/version (the HTTP floor). Target: p99 ≤ 50 ms.
 *
 * The measured app has the api role only: no projector or worker competes with the tick or the
 * reads (a first app with the projector bootstraps the admin and the workspaces, then stops).
 */
export async function benchMetering(): Promise<BenchSection> {
  const db = await createTestDatabase('bench_metering');
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    QUEUE_PREFIX: `bench_metering_${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
    RATE_LIMIT_PER_ADDRESS: '10000000',
    RATE_LIMIT_PER_PRINCIPAL: '10000000',
    // Ticks are run by the bench, not by a schedule.
    METERING_INTERVAL_SECONDS: '86400',
  };
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  const url = `http://127.0.0.1:${port}`;
  let app: NestFastifyApplication | undefined;
  try {
    // The admin and three workspaces, through a first app with the projector.
    app = await createApp(loadConfig({ ...env, ROLES: 'api,projector' }));
    await app.listen(port, '127.0.0.1');
    await app.get(ConsistencyService).waitFor(await app.get<EventStore>(EVENT_STORE).headPosition(), undefined, 30_000);
    const token = await signIn(url);
    const tickWorkspace = await call<{ id: string }>(url, 'POST', '/v1/workspaces', token, { name: 'Metering bench: tick' }, 201);
    const dense = await call<{ id: string }>(url, 'POST', '/v1/workspaces', token, { name: 'Metering bench: a day of usage' }, 201);
    const month = await call<{ id: string }>(url, 'POST', '/v1/workspaces', token, { name: 'Metering bench: a month of usage' }, 201);
    const others: string[] = [];
    for (let i = 0; i < OTHER_WORKSPACES; i++) others.push((await call<{ id: string }>(url, 'POST', '/v1/workspaces', token, { name: `Metering bench: neighbour ${i}` }, 201)).id);
    await app.close();

    app = await createApp(loadConfig({ ...env, ROLES: 'api' }));
    await app.listen(port, '127.0.0.1');
    const tick = await benchTick(app, db, tickWorkspace.id);
    const query = await benchUsageQuery(app, db, url, token, { dense: dense.id, month: month.id, others });

    const rows = [
      [`store.append, batches of ${APPEND_BATCH} (baseline)`, tick.batchedRate, 1, 'events/s'],
      ['store.append, 1 event per stream, one after another', tick.singleRate, tick.singleRate / tick.batchedRate, 'events/s'],
      [`metering tick over ${fmt(TICK_UNITS)} running units`, tick.tickRate, tick.tickRate / tick.batchedRate, 'events/s'],
      ['1M events in the last 24 h: bare SQL sum, p50 (baseline)', query.dense.sql.p50, 1, 'ms'],
      ['  GET /usage/current, p50', query.dense.current.p50, query.dense.current.p50 / query.dense.sql.p50, 'ms'],
      ['1M events in the last 24 h: bare SQL sum, p99 (baseline)', query.dense.sql.p99, 1, 'ms'],
      ['  GET /usage/current, p99', query.dense.current.p99, query.dense.current.p99 / query.dense.sql.p99, 'ms'],
      ['  ?group_by=machine_type&window=hour&tz=Europe/Warsaw, p99', query.dense.grouped.p99, query.dense.grouped.p99 / query.dense.sql.p99, 'ms'],
      ['1M events over 30 days: bare SQL sum, p50 (baseline)', query.month.sql.p50, 1, 'ms'],
      ['  GET /usage/current, p50', query.month.current.p50, query.month.current.p50 / query.month.sql.p50, 'ms'],
      ['1M events over 30 days: bare SQL sum, p99 (baseline)', query.month.sql.p99, 1, 'ms'],
      ['  GET /usage/current, p99', query.month.current.p99, query.month.current.p99 / query.month.sql.p99, 'ms'],
      ['  ?group_by=machine_type&window=hour&tz=Europe/Warsaw, p99', query.month.grouped.p99, query.month.grouped.p99 / query.month.sql.p99, 'ms'],
      ['GET /v1/version, p99 (the HTTP floor)', query.version.p99, NaN, 'ms'],
    ] as const;
    printRows(rows);
    console.log(
      `  tick: ${fmt(TICK_UNITS)} UsageRecorded in ${fmt(tick.tickSeconds, 2)} s (${fmt((tick.tickSeconds * 1000) / TICK_UNITS, 2)} ms per unit); ` +
        `the same job again (a retry) wrote ${tick.retryWrote} (it said ${tick.retryReturned}) in ${fmt(tick.retrySeconds, 2)} s; ` +
        `baseline appends: ${fmt(tick.batchedSeconds, 2)} s batched, ${fmt(tick.singleSeconds, 2)} s one by one`,
    );
    for (const spread of [query.dense, query.month]) {
      console.log(
        `  1M usage events ${spread.spread}: ${fmt(spread.rollupRows)} rollup rows, ${fmt(spread.rollupRowsInWindow)} in the 24-hour window, ${spread.running} units running; ` +
          `/usage/current p99 ${spread.current.p99 <= 50 ? 'within' : 'OVER'} the 50 ms target`,
      );
      for (const [name, l] of Object.entries({ 'bare SQL': spread.sql, '/usage/current': spread.current, 'grouped by machine type and hour': spread.grouped })) {
        console.log(`    ${name}: p50 ${fmt(l.p50, 1)} ms, p99 ${fmt(l.p99, 1)} ms, max ${fmt(l.max, 1)} ms (${REQUESTS} sequential)`);
      }
    }
    console.log(`  ${OTHER_WORKSPACES + 2} workspaces; one workspace's quarter hours in a window are read through ${query.indexes.join(', ')}`);
    console.log(`  GET /v1/version: p50 ${fmt(query.version.p50, 1)} ms, p99 ${fmt(query.version.p99, 1)} ms (the HTTP floor, ${REQUESTS} sequential)`);
    return { rows: rows.map(([name, value, ratio, unit]) => ({ name, value, ratio, unit })), extra: { tick, query } };
  } finally {
    await app?.close().catch(() => undefined);
    await db.drop();
    await dropQueues(env.QUEUE_PREFIX, loadConfig(env).redisUrl);
  }
}

/** (a) The tick over TICK_UNITS running units, and the store's own append rates for as many events. */
async function benchTick(app: NestFastifyApplication, db: TestDatabase, workspaceId: string) {
  const store = app.get<EventStore>(EVENT_STORE);
  const catalog = app.get(EventCatalog);
  const rates = app.get(UsageRatesSource);
  const now = Date.now();
  const startedAt = new Date(now - 60_000).toISOString();
  // The rates of the three placements, read once: each read folds the catalog's stream.
  const placements = await Promise.all(['small', 'medium', 'large'].map((type, k) => rates.forInstance(type, ['eu_north', 'eu_central', 'us_east'][k])));
  const units = Array.from({ length: TICK_UNITS }, (_, i) => {
    const instance = i % 2 === 0;
    return {
      id: randomUUID(),
      subject_type: instance ? ('instance' as const) : ('stream' as const),
      rates: instance ? placements[i % 3] : rates.forStream(),
    };
  });
  const metadata = (type: string) => ({ event_version: catalog.versionOf(type), workspace_id: workspaceId, occurred_at: new Date().toISOString() });

  // Baseline 1: UsageRecorded-shaped events, appended in batches (under another type: no consumer reads them).
  const shaped = (unit: (typeof units)[number]): EventData => ({
    eventId: randomUUID(),
    type: 'BenchUsageRecorded',
    data: {
      subject_type: unit.subject_type,
      subject_id: unit.id,
      workspace_id: workspaceId,
      ...unit.rates,
      ...amountsFor(60, unit.rates),
      from: startedAt,
      to: new Date(now).toISOString(),
      run_started_at: startedAt,
      final: false,
    },
    metadata: metadata('UsageRecorded'),
  });
  let t0 = performance.now();
  for (let i = 0; i < units.length; i += APPEND_BATCH) await store.append(`benchbatch-${randomUUID()}`, units.slice(i, i + APPEND_BATCH).map(shaped), 'no_stream');
  const batchedSeconds = (performance.now() - t0) / 1000;

  // Baseline 2: one event per stream, one append after another — what a tick does at the least.
  t0 = performance.now();
  for (const unit of units) await store.append(`benchsingle-${unit.id}`, [shaped(unit)], 'no_stream');
  const singleSeconds = (performance.now() - t0) / 1000;

  // The running units: each meter's stream opened a minute ago, and its row in the usage model.
  const started = (unit: (typeof units)[number]): EventData => ({
    eventId: randomUUID(),
    type: 'UsageMeteringStarted',
    data: { subject: { subject_type: unit.subject_type, subject_id: unit.id, workspace_id: workspaceId, name: `unit-${unit.id.slice(0, 8)}` }, rates: unit.rates, at: startedAt },
    metadata: metadata('UsageMeteringStarted'),
  });
  let next = 0;
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      while (next < units.length) {
        const unit = units[next++];
        await store.append(`usage-${unit.id}`, [started(unit)], 'no_stream');
      }
    }),
  );
  await db.pool.query(
    `INSERT INTO read.usage_meters (subject_id, workspace_id, subject_type, name, machine_type, location, first_started_at, run_started_at, rates, version)
     SELECT u.id, $1, u.type, 'unit-' || left(u.id::text, 8), COALESCE(u.rates->>'machine_type', ''), COALESCE(u.rates->>'location', ''), $2, $2, u.rates, 1
     FROM jsonb_to_recordset($3::jsonb) AS u(id uuid, type text, rates jsonb)`,
    [workspaceId, startedAt, JSON.stringify(units.map((u) => ({ id: u.id, type: u.subject_type, rates: u.rates })))],
  );
  // The run tracker has nothing to do with these events: its checkpoint moves past them, as the
  // projector moves an idle consumer's, so the tick may record up to now.
  await app.get(CheckpointStore).skipAhead([RUN_TRACKER], await store.headPosition(), new Date());

  const recorded = async () => (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE type = 'UsageRecorded'`)).rows[0].n;
  const jobs = app.get(MeteringJobs);
  // A scheduled tick's job, due now: its time is the same on every run of it.
  const job = { id: 'bench-tick-1', timestamp: Date.now() };
  t0 = performance.now();
  const tickReturned = await jobs.tick(job);
  const tickSeconds = (performance.now() - t0) / 1000;
  const wrote = await recorded();
  if (wrote !== TICK_UNITS || tickReturned !== wrote) throw new Error(`the tick recorded ${wrote} stretches for ${TICK_UNITS} running units and said ${tickReturned}`);
  // The same job again, as a retried one: every stretch is found written, nothing is added.
  t0 = performance.now();
  const retryReturned = await jobs.tick(job);
  const retrySeconds = (performance.now() - t0) / 1000;
  const retryWrote = (await recorded()) - wrote;
  if (retryReturned !== retryWrote) throw new Error(`the retried tick wrote ${retryWrote} stretches and said ${retryReturned}`);

  return {
    units: TICK_UNITS,
    tickSeconds,
    tickRate: TICK_UNITS / tickSeconds,
    tickReturned,
    retrySeconds,
    retryWrote,
    retryReturned,
    batchedSeconds,
    batchedRate: TICK_UNITS / batchedSeconds,
    singleSeconds,
    singleRate: TICK_UNITS / singleSeconds,
  };
}

/** How a workspace's 1,000,000 usage events lie in time. */
interface Spread {
  name: string;
  units: number;
  /** Minutes before now at which unit `i`'s last stretch ends. */
  endsAgo(i: number): number;
  /** Units (the first ones) whose run goes on: their unrecorded time counts up to now. */
  running: number;
}

/**
 * Every unit's events lie in the default 24-hour window (1,000 units × 1,000 minutes, ending up to
 * an hour ago): the densest case for /usage/current — as many rollup rows as 1M events can make in it.
 */
const DENSE: Spread = { name: 'all in the last 24 h', units: QUERY_UNITS, endsAgo: (i) => i % 60, running: QUERY_RUNNING };
/** The same events over the last 30 days (runs ending every ~43 minutes): a month of history. */
const MONTH: Spread = { name: 'over 30 days', units: QUERY_UNITS, endsAgo: (i) => Math.floor((i * 30 * 1440) / QUERY_UNITS), running: 2 };
/** A neighbour workspace: a few units over the same 30 days. */
const NEIGHBOUR: Spread = { name: 'a neighbour', units: OTHER_UNITS, endsAgo: (i) => Math.floor((i * 30 * 1440) / OTHER_UNITS), running: 1 };

/** (b) /usage/current over 1,000,000 usage events' worth of rollup, in two spreads. */
async function benchUsageQuery(app: NestFastifyApplication, db: TestDatabase, url: string, token: string, workspaces: { dense: string; month: string; others: string[] }) {
  for (const other of workspaces.others) await seedUsage(app, db, other, NEIGHBOUR);
  const month = await seedUsage(app, db, workspaces.month, MONTH);
  const dense = await seedUsage(app, db, workspaces.dense, DENSE);
  // (The projection's tables would have been analyzed by autovacuum long before a million events.)
  await db.pool.query('ANALYZE read.usage_rollup; ANALYZE read.usage_hourly; ANALYZE read.usage_spans; ANALYZE read.usage_meters');
  // Which indexes one workspace's quarter hours are read through, among 50 workspaces.
  const to = new Date();
  const { rows: plan } = await db.pool.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${SUM_SQL}`, [workspaces.dense, new Date(to.getTime() - 24 * 3600_000), to]);
  const indexes = [...new Set(JSON.stringify(plan[0]['QUERY PLAN']).match(/"Index Name":"[^"]+"/g) ?? [])].map((m) => m.slice('"Index Name":"'.length, -1));
  const monthTimes = await measure(workspaces.month);

  const report = await call<{ totals: { seconds: number; units: number } }>(url, 'GET', `/v1/workspaces/${workspaces.dense}/usage/current`, token, undefined, 200);
  const expected = QUERY_UNITS * STRETCHES_PER_UNIT * 60;
  if (report.totals.units !== QUERY_UNITS || report.totals.seconds < expected) {
    throw new Error(`/usage/current answered ${JSON.stringify(report.totals)}; expected ${QUERY_UNITS} units and at least ${expected} s`);
  }
  return {
    indexes,
    dense: { ...dense, totals: report.totals, ...(await measure(workspaces.dense)) },
    month: { ...month, ...monthTimes },
    version: await timed(() => call(url, 'GET', '/v1/version', token, undefined, 200)),
  };

  async function measure(workspaceId: string) {
    const current = (query = '') => () => call(url, 'GET', `/v1/workspaces/${workspaceId}/usage/current${query}`, token, undefined, 200);
    return { sql: await timed(sum(workspaceId)), current: await timed(current()), grouped: await timed(current('?group_by=machine_type&window=hour&tz=Europe%2FWarsaw')) };
  }

  /** The rollup's part of the route as one bare statement: the window's sums, no grouping, no running units. */
  function sum(workspaceId: string) {
    return () => {
      const to = new Date();
      return db.pool.query(SUM_SQL, [workspaceId, new Date(to.getTime() - 24 * 3600_000), to]);
    };
  }
}

/** One workspace's quarter hours in a window, summed by one bare statement: the baseline. */
const SUM_SQL = `SELECT count(DISTINCT subject_id), sum(seconds), sum(energy_kwh), sum(emissions_g), sum(cost) FROM read.usage_rollup
  WHERE workspace_id = $1 AND bucket_start > $2::timestamptz - interval '15 minutes' AND bucket_start < $3`;

/**
 * spread.units × STRETCHES_PER_UNIT one-minute stretches, as the usage projection leaves them: each
 * added to its unit's quarter-hour row of read.usage_rollup (whole minutes never cross one) and
 * the workspace's hour in read.usage_hourly, each unit's one span of quarter hours (its minutes
 * follow each other), and each unit's meter with its totals and, for the running ones, its open run.
 */
async function seedUsage(app: NestFastifyApplication, db: TestDatabase, workspaceId: string, spread: Spread) {
  const rates = app.get(UsageRatesSource);
  const minute = 60_000;
  const nowMinute = Math.floor(Date.now() / minute) * minute;
  const placements = await Promise.all(['xsmall', 'small', 'medium', 'large'].map((type, k) => rates.forInstance(type, ['eu_north', 'eu_west', 'us_east', 'ap_south'][k])));
  const units = Array.from({ length: spread.units }, (_, i) => {
    const instance = i % 4 !== 0;
    const unitRates: UsageRates = instance ? placements[i % 4] : rates.forStream();
    const end = nowMinute - spread.endsAgo(i) * minute;
    return {
      id: randomUUID(),
      type: instance ? 'instance' : 'stream',
      machine_type: unitRates.machine_type ?? '',
      location: unitRates.location ?? '',
      rates: unitRates,
      first: new Date(end - STRETCHES_PER_UNIT * minute).toISOString(),
      end: new Date(end).toISOString(),
      running: i < spread.running,
      ...amountsFor(60, unitRates),
    };
  });
  const unitsJson = JSON.stringify(units);
  await db.pool.query(
    `INSERT INTO read.usage_rollup (workspace_id, bucket_start, subject_id, subject_type, cluster_id, machine_type, location, seconds, energy_kwh, emissions_g, cost)
     SELECT $1, date_bin('15 minutes', s.start, TIMESTAMPTZ 'epoch'), u.id, u.type, NULL, u.machine_type, u.location,
       sum(u.seconds), sum(u.energy_kwh), sum(u.emissions_g), sum(u.cost)
     FROM jsonb_to_recordset($2::jsonb) AS u(id uuid, type text, machine_type text, location text, "end" timestamptz, seconds float8, energy_kwh float8, emissions_g float8, cost float8)
     CROSS JOIN generate_series(1, $3::int) AS m
     CROSS JOIN LATERAL (SELECT u."end" - m * interval '1 minute' AS start) s
     GROUP BY 2, u.id, u.type, u.machine_type, u.location`,
    [workspaceId, unitsJson, STRETCHES_PER_UNIT],
  );
  await db.pool.query(
    `INSERT INTO read.usage_hourly (workspace_id, bucket_start, subject_type, cluster_id, machine_type, location, seconds, energy_kwh, emissions_g, cost)
     SELECT workspace_id, date_trunc('hour', bucket_start, 'UTC'), subject_type, cluster_id, machine_type, location, sum(seconds), sum(energy_kwh), sum(emissions_g), sum(cost)
     FROM read.usage_rollup WHERE workspace_id = $1 GROUP BY 1, 2, 3, 4, 5, 6`,
    [workspaceId],
  );
  await db.pool.query(
    `INSERT INTO read.usage_spans (workspace_id, subject_id, subject_type, cluster_id, machine_type, location, first_bucket, last_bucket)
     SELECT workspace_id, subject_id, min(subject_type), NULL, machine_type, location, min(bucket_start), max(bucket_start)
     FROM read.usage_rollup WHERE workspace_id = $1 GROUP BY workspace_id, subject_id, machine_type, location`,
    [workspaceId],
  );
  await db.pool.query(
    `INSERT INTO read.usage_meters (subject_id, workspace_id, subject_type, name, machine_type, location, first_started_at, run_started_at, last_ended_at, recorded_until, rates,
       seconds, energy_kwh, emissions_g, cost, version)
     SELECT u.id, $1, u.type, 'unit-' || left(u.id::text, 8), u.machine_type, u.location, u.first, CASE WHEN u.running THEN u.first END, CASE WHEN u.running THEN NULL ELSE u."end" END,
       u."end", u.rates, u.seconds * $2, u.energy_kwh * $2, u.emissions_g * $2, u.cost * $2, $2 + 2
     FROM jsonb_to_recordset($3::jsonb) AS u(id uuid, type text, machine_type text, location text, first timestamptz, "end" timestamptz, running boolean, rates jsonb,
       seconds float8, energy_kwh float8, emissions_g float8, cost float8)`,
    [workspaceId, STRETCHES_PER_UNIT, unitsJson],
  );
  const { rows } = await db.pool.query<{ all: number; in_window: number }>(
    `SELECT count(*)::int AS all, count(*) FILTER (WHERE bucket_start > now() - interval '24 hours 15 minutes')::int AS in_window FROM read.usage_rollup WHERE workspace_id = $1`,
    [workspaceId],
  );
  return { spread: spread.name, events: spread.units * STRETCHES_PER_UNIT, running: spread.running, rollupRows: rows[0].all, rollupRowsInWindow: rows[0].in_window };
}

/** REQUESTS sequential runs of `work` after WARM_UP unmeasured ones: p50, p99 and max in ms. */
async function timed(work: () => Promise<unknown>): Promise<Latencies> {
  for (let i = 0; i < WARM_UP; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), max: Math.max(...times) };
}

async function call<T = unknown>(url: string, method: string, path: string, token: string, body: unknown, expect: number): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

async function signIn(url: string): Promise<string> {
  let token = '';
  await waitFor(
    async () => {
      const res = await fetch(`${url}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BENCH_ADMIN) });
      if (res.ok) token = ((await res.json()) as { token: string }).token;
      else await new Promise((resolve) => setTimeout(resolve, 300)); // failed attempts count towards a lockout
      return res.ok;
    },
    30_000,
    'the platform admin',
  );
  return token;
}

async function dropQueues(prefix: string, redisUrl: string): Promise<void> {
  const redis = new IORedis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}
