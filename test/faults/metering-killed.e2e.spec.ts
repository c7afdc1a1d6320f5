import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { QueueRegistry } from '@streamplane/core';
import { METERING_QUEUE } from '@streamplane/metering/jobs/metering-jobs';
import { eventually, startTestApp, TestApp } from '../support/test-app';

/** Streams taken (so metered) at once: a tick over them takes long enough to be killed inside. */
const STREAMS = 120;
/** Workers SIGKILLed inside a tick, one after the other, each replaced by a fresh one. */
const KILLS = 3;
/** A worker's job lock: a killed worker's tick stalls after this and the next worker runs it again. */
const JOB_LOCK_SECONDS = 2;

const source = (name: string) => ({ name, data: { reference: `file:///media/${name}.mp4` }, event_handler: {} });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * The tick (BullMQ job id, `repeat:metering-tick:<ms>`) that wrote a usage event: its correlation
 * id, with or without a `.<subject id>` suffix; the run tracker's final stretches say `run.<event id>`.
 */
const TICK_OF = `regexp_replace(metadata->>'$correlationId', '\\.[0-9a-f-]{36}$', '')`;

interface UsageRow {
  stream_id: string;
  event_id: string;
  type: string;
  data: { from?: string; to?: string; at?: string; seconds?: number; final?: boolean; corrected_by?: string };
  /** The tick or run-tracker event that wrote it. */
  key: string | null;
}

/**
 * Issue 13: "kill the worker during a metering tick, restart: no stretch twice, no hole". The api
 * and projector (with the run tracker) run here; the worker — the one role that runs the metering
 * tick, every second — is a child process on the same database and queue prefix. Each time a tick
 * is seen part-way through its subjects (some of its UsageRecorded events in the log, not all), the
 * worker is SIGKILLed and a new one started; BullMQ hands the stalled tick to it under the same job
 * id. Then every run ends, and each subject's stretches must tile its run exactly: the first from
 * the take, each from where the last ended, the last at the end, the seconds adding up to the run.
 *
 * The ends are sent while ticks are paused; METERING_ENDS_DURING_TICKS=1 sends them while ticks
 * run instead (a run of its own, about as long: the two together take over 3 minutes on two busy
 * cores). A tick that runs while the run tracker has not seen an end yet can record past it (it
 * records up to the recorded time of the first event the tracker has not read, which comes after
 * that event's `at`); the end then takes the time past it back with a `UsageCorrected`
 * (corrected_by: metering), so the stretches minus the corrections must equal the run exactly.
 */
const VARIANT: [string, boolean] = process.env.METERING_ENDS_DURING_TICKS === '1' ? ['ends sent while ticks run', false] : ['ends sent between ticks', true];

describe.each([VARIANT])('Faults: the worker killed during a metering tick, %s', (_variant, pauseTicks) => {
  let t: TestApp;
  let ws: { base: string; headers: { Authorization: string } };
  const workers: ChildProcess[] = [];
  const timeline: string[] = [];
  let began = Date.now();
  const mark = (what: string) => {
    timeline.push(`+${((Date.now() - began) / 1000).toFixed(1)} s ${what}`);
    if (process.env.FAULT_TRACE) process.stderr.write(`${timeline[timeline.length - 1]}\n`);
  };

  beforeAll(async () => {
    began = Date.now();
    mark('start');
    // No worker role here: the only ticks are the child worker's. Leases outlast the test, so the
    // only ends are the test's own (no lease sweep ends a run on its own).
    t = await startTestApp('metering_killed', { env: { ROLES: 'api,projector', METERING_INTERVAL_SECONDS: '1', STREAM_LEASE_SECONDS: '3600' } });
    mark('api and projector ready');
  });
  let finished = false;
  afterAll(async () => {
    // A run that timed out says how far it got.
    if (!finished) console.log(`metering-killed did not finish:\n${timeline.join('\n')}`);
    for (const worker of workers) worker.kill('SIGKILL');
    await t.close();
  });

  function startWorker(): Promise<ChildProcess> {
    const child = fork(join(__dirname, '..', 'support', 'role-process.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: {
        ...process.env,
        ROLES: 'worker',
        DATABASE_URL: t.config.databaseUrl,
        QUEUE_PREFIX: t.config.queuePrefix,
        METERING_INTERVAL_SECONDS: '1',
        STREAM_LEASE_SECONDS: '3600',
        JOB_LOCK_SECONDS: String(JOB_LOCK_SECONDS),
        LOG_LEVEL: 'silent',
        TS_NODE_PROJECT: 'tsconfig.json',
      },
      stdio: 'ignore',
    });
    workers.push(child);
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(child));
      child.once('exit', (code, signal) => reject(new Error(`the worker exited before it was ready (${code ?? signal})`)));
    });
  }

  async function kill(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** UsageRecorded events written by each tick (job id), the run tracker's final stretches left out. */
  async function recordedPerTick(): Promise<Map<string, number>> {
    const { rows } = await t.db.pool.query<{ job: string; n: number }>(
      `SELECT job, count(*)::int AS n FROM (SELECT ${TICK_OF} AS job FROM events WHERE type = 'UsageRecorded' AND stream_id LIKE 'usage-%') e
       WHERE job LIKE 'repeat:%' GROUP BY job`,
    );
    return new Map(rows.map((r) => [r.job, r.n]));
  }

  /** Waits for a tick part-way through its subjects that was never killed before, and kills the worker there. */
  async function killInsideTick(worker: ChildProcess, killedBefore: Set<string>): Promise<{ job: string; atKill: number }> {
    const queue = t.app.get(QueueRegistry).queue(METERING_QUEUE);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      for (const [job, n] of await recordedPerTick()) {
        if (killedBefore.has(job) || n < 3 || n > STREAMS / 2) continue;
        // Part-way and still running (not a tick that found little to record).
        if ((await (await queue.getJob(job))?.getState()) !== 'active') continue;
        await kill(worker);
        return { job, atKill: (await recordedPerTick()).get(job) ?? 0 };
      }
      await sleep(5);
    }
    throw new Error(`no tick was seen part-way in 30 s; metering jobs ${JSON.stringify(await queue.getJobCounts())}\n${timeline.join('\n')}`);
  }

  const usageEvents = async () =>
    (
      await t.db.pool.query<UsageRow>(
        `SELECT stream_id, event_id, type, data, ${TICK_OF} AS key FROM events WHERE stream_id LIKE 'usage-%' ORDER BY stream_id, revision`,
      )
    ).rows;

  it('records every running stream once per stretch, without a hole, across workers killed mid-tick', async () => {
    // The first worker starts while the streams are made and taken (the platform admin owns the
    // workspace: no verification mail to wait for).
    const firstWorker = startWorker();
    firstWorker.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
    const res = await t.http.post('/v1/workspaces').set(t.admin).send({ name: 'metered' }).expect(201);
    ws = { base: `/v1/workspaces/${res.body.id}`, headers: t.admin };

    const ids: string[] = [];
    for (let lane = 0; lane < STREAMS; lane += 30) {
      const made = await Promise.all(
        Array.from({ length: Math.min(30, STREAMS - lane) }, (_, i) => t.http.post(`${ws.base}/streams`).set(ws.headers).send(source(`metered-${lane + i}`))),
      );
      for (const res of made) {
        expect(res.status).toBe(201);
        ids.push(res.body.stream_id);
      }
    }
    const taken = new Set<string>();
    await eventually(async () => {
      const res = await t.http.post(`${ws.base}/queue/take`).set(ws.headers).send({ limit: 100 }).expect(200);
      for (const item of res.body.items as Array<{ stream_id: string }>) taken.add(item.stream_id);
      return taken.size === STREAMS;
    }, 30_000);
    expect([...taken].sort()).toEqual([...ids].sort());
    mark(`${STREAMS} streams created and taken`);
    // Every run is open once the run tracker has started each stream's meter.
    await eventually(async () => (await t.db.pool.query(`SELECT count(*)::int AS n FROM events WHERE type = 'UsageMeteringStarted'`)).rows[0].n === STREAMS, 30_000);
    mark(`${STREAMS} streams taken and metered`);
    let worker = await firstWorker;
    mark('worker 1 ready');

    const queue = t.app.get(QueueRegistry).queue(METERING_QUEUE);
    const killed: Array<{ job: string; atKill: number; returned?: number }> = [];
    for (let round = 1; round <= KILLS; round++) {
      const hit: (typeof killed)[number] = await killInsideTick(worker, new Set(killed.map((k) => k.job)));
      killed.push(hit);
      mark(`worker ${round} SIGKILLed inside ${hit.job} after ${hit.atKill} of ${STREAMS} subjects`);
      // Not a product check: proof that the kill landed inside a tick.
      expect(hit.atKill).toBeGreaterThan(0);
      expect(hit.atKill).toBeLessThan(STREAMS);
      worker = await startWorker();
      mark(`worker ${round + 1} ready`);
      // The stalled tick runs again under its own job id on the new worker, and finishes.
      const job = await eventually(async () => {
        const found = await queue.getJob(hit.job);
        return found && (await found.getState()) === 'completed' && found;
      }, 30_000);
      // It finished on the new worker because it stalled with the killed one.
      expect(job.stalledCounter).toBeGreaterThanOrEqual(1);
      hit.returned = Number(job.returnvalue);
      mark(`${hit.job} stalled, ran again and completed (returned ${job.returnvalue}; ${(await recordedPerTick()).get(hit.job)} stretches in the log under its id)`);
    }

    // A few more ticks on the last worker, then every run ends.
    const before = (await recordedPerTick()).size;
    await eventually(async () => (await recordedPerTick()).size >= before + 2, 20_000);
    if (pauseTicks) {
      await queue.pause();
      await eventually(async () => (await queue.getActiveCount()) === 0, 20_000);
    }
    const feedback = await t.http
      .post(`${ws.base}/queue/feedback`)
      .set(ws.headers)
      .send({ streams: ids.map((stream_id) => ({ stream_id, status: 'done' })) })
      .expect(200);
    expect(feedback.body.items.every((i: { accepted: boolean }) => i.accepted)).toBe(true);
    await eventually(async () => (await t.db.pool.query(`SELECT count(*)::int AS n FROM events WHERE type = 'UsageMeteringStopped'`)).rows[0].n === STREAMS, 60_000);
    if (pauseTicks) await queue.resume();
    mark('every run ended');
    // Ticks that start once the usage model has every meter stopped have nothing to nominate; ticks
    // before that may still nominate them, and the meters must refuse (checked below on the log).
    await eventually(async () => (await t.db.pool.query('SELECT count(*)::int AS n FROM read.usage_meters WHERE run_started_at IS NOT NULL')).rows[0].n === 0, 30_000);
    const settled = Date.now();
    await eventually(async () => (await queue.getJobs(['completed'], 0, 20)).some((j) => j.name === 'tick' && (j.processedOn ?? 0) > settled), 20_000);
    await kill(worker);
    mark('a tick ran after the ends; the worker is stopped');

    // Each stream's run, from its own log: taken at, completed at.
    const { rows: bounds } = await t.db.pool.query<{ stream_id: string; type: string; at: string }>(
      `SELECT stream_id, type, data->>'at' AS at FROM events WHERE stream_id = ANY($1::text[]) AND type IN ('StreamTaken', 'StreamCompleted')`,
      [ids.map((id) => `stream-${id}`)],
    );
    const runOf = new Map<string, { start?: string; end?: string }>();
    for (const b of bounds) {
      const run = runOf.get(b.stream_id.slice('stream-'.length)) ?? {};
      if (b.type === 'StreamTaken') run.start = b.at;
      else run.end = b.at;
      runOf.set(b.stream_id.slice('stream-'.length), run);
    }

    const all = await usageEvents();
    const problems: string[] = [];
    const eventIds = new Set(all.map((e) => e.event_id));
    if (eventIds.size !== all.length) problems.push(`${all.length - eventIds.size} usage events share an id`);
    let stretches = 0;
    let corrected = 0;
    const ticksPerSubject: number[] = [];
    for (const id of ids) {
      const events = all.filter((e) => e.stream_id === `usage-${id}`);
      const run = runOf.get(id)!;
      const recorded = events.filter((e) => e.type === 'UsageRecorded');
      stretches += recorded.length;
      ticksPerSubject.push(new Set(recorded.map((e) => e.key)).size);
      const say = (what: string) => problems.push(`${id}: ${what}`);
      const corrections = events.filter((e) => e.type === 'UsageCorrected');
      corrected += corrections.length;
      const types = events.map((e) => e.type);
      // Started, the stretches (and the end's correction, if a tick ran past it), Stopped: nothing after the run stopped.
      if (types[0] !== 'UsageMeteringStarted' || types[types.length - 1] !== 'UsageMeteringStopped' || types.filter((x) => x !== 'UsageRecorded' && x !== 'UsageCorrected').length !== 2) {
        say(`events ${types.join(', ')}`);
        continue;
      }
      if (events[0].data.at !== run.start) say(`metering started at ${events[0].data.at}, the stream was taken at ${run.start}`);
      if (events[events.length - 1].data.at !== run.end) say(`metering stopped at ${events[events.length - 1].data.at}, the stream completed at ${run.end}`);
      if (recorded.length === 0) {
        say('no stretch recorded');
        continue;
      }
      if (recorded[0].data.from !== run.start) say(`first stretch from ${recorded[0].data.from}, taken at ${run.start}`);
      for (let i = 0; i < recorded.length; i++) {
        const { from, to } = recorded[i].data;
        if (!(Date.parse(to!) > Date.parse(from!))) say(`stretch ${i} is empty or backwards: ${from} → ${to}`);
        if (i > 0 && from !== recorded[i - 1].data.to) {
          const gap = Date.parse(from!) - Date.parse(recorded[i - 1].data.to!);
          say(`stretch ${i} from ${from} after one to ${recorded[i - 1].data.to}: ${gap > 0 ? `a hole of ${gap} ms` : `an overlap of ${-gap} ms`}`);
        }
      }
      const last = recorded[recorded.length - 1].data.to!;
      if (corrections.length === 0) {
        if (last !== run.end) say(`last stretch to ${last}, completed at ${run.end} (${Date.parse(last) - Date.parse(run.end!)} ms past the end), nothing taken back`);
      } else {
        // A tick ran past the end: exactly the time past it is taken back, by the meter, once.
        const [c] = corrections;
        if (corrections.length > 1 || c.data.corrected_by !== 'metering' || c.data.from !== run.end || c.data.to !== last) {
          say(`corrections ${JSON.stringify(corrections.map((e) => e.data))} for a last stretch to ${last} and a completion at ${run.end}`);
        }
      }
      // Seconds are exact to the millisecond: the stretches minus what was taken back are the run's length.
      const ms = [...recorded, ...corrections].reduce((sum, e) => sum + Math.round(Number(e.data.seconds) * 1000), 0);
      if (ms !== Date.parse(run.end!) - Date.parse(run.start!)) say(`stretches and corrections add up to ${ms} ms, the run lasted ${Date.parse(run.end!) - Date.parse(run.start!)} ms`);
    }
    const summary = `${STREAMS} streams, ${stretches} stretches, ${corrected} taken back past an end, ${Math.min(...ticksPerSubject)}–${Math.max(...ticksPerSubject)} ticks (or ends) per stream; kills: ${JSON.stringify(killed)}\n${timeline.join('\n')}`;
    if (problems.length) throw new Error(`${problems.length} problems:\n${problems.slice(0, 20).join('\n')}\n\n${summary}`);
    // Not a product check: every subject was recorded by ticks, not only by the end of its run.
    expect(Math.min(...ticksPerSubject)).toBeGreaterThanOrEqual(2);
    console.log(`metering-killed: ${summary}`);
    finished = true;
  }, 300_000);
});
