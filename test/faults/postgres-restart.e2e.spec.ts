import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Answer, call, sleep } from './support/http';
import { httpTenant, HttpTenant, until } from './support/http-tenant';
import { PrivatePostgres, startPrivatePostgres } from './support/private-postgres';
import { loggedCreations, readModelStreams } from './support/stream-checks';
import { Attempt, StreamLoad } from './support/stream-load';
import { consumers, ConsumerStatus, Layout, logs, startSystem, System } from './support/system';
import { exits, ledger, settleAll, wrongAnswers } from './support/verdicts';

/** How long PostgreSQL stays down: long enough for every lane to hit it several times. */
const OUTAGE_MS = 4000;
/** DESIGN §5 (supervised consumers) and the brief: back by itself within 15 s of the database. */
const RECOVERY_BUDGET_MS = 15_000;
/** Retries of every key of one deployment after recovery, all together. */
const SETTLE_BUDGET_MS = 20_000;

/** What one deployment went through; the scenario fills it, each layout's test judges it. */
interface Run {
  layout: Layout;
  databaseUrl: string;
  system: System;
  tenant: HttpTenant;
  load: StreamLoad;
  before: ConsumerStatus[];
  healthDuring: Array<Answer | string>;
  recoveredIn?: number;
  /** A create once recovered, and reading it back without X-Min-Position. */
  fresh?: { created: Attempt; readBack?: Attempt };
}

/**
 * PostgreSQL restarts under a steady load of stream creates (Idempotency-Key) and reads, on a
 * private cluster so that other test files on the shared server are not disturbed. Two
 * deployments share the cluster and the outage (CI's budget): every role in one process, and
 * api + projector + worker as three. The product runs in child processes, so "stays up" is an
 * observable exit, not a crashed jest worker.
 */
describe('PostgreSQL restart under load', () => {
  let pg: PrivatePostgres | undefined;
  let logDir: string;
  const runs = new Map<Layout, Run>();
  // For afterAll, filled as soon as each exists: a failed start must not leave processes behind.
  const systems: System[] = [];
  const loads: StreamLoad[] = [];

  const timeline: string[] = [];
  const started = Date.now();
  const mark = (what: string) => timeline.push(`${what} +${Date.now() - started} ms`);

  beforeAll(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'sp-faults-logs-'));
    pg = await startPrivatePostgres();
    mark('private PostgreSQL up');
    await Promise.all((['one', 'three'] as const).map((layout) => deploy(layout)));
    await scenario([...runs.values()]);
  }, 150_000);

  afterAll(async () => {
    await Promise.all(loads.map((load) => load.stop()));
    for (const system of systems) await system.close().catch(() => undefined);
    await pg?.stop();
    // KEEP_FAULT_LOGS=1 keeps the processes' logs (paths in the failure messages) for a post-mortem.
    if (process.env.KEEP_FAULT_LOGS !== '1') rmSync(logDir, { recursive: true, force: true });
  }, 60_000);

  async function deploy(layout: Layout): Promise<void> {
    const label = `restart_${layout}`;
    const databaseUrl = await pg!.createDatabase(label);
    const system = await startSystem({ layout, databaseUrl, label, logDir, env: { READ_YOUR_WRITES_TIMEOUT_MS: '5000' } });
    systems.push(system);
    mark(`${layout}: processes ready`);
    const tenant = await httpTenant(system.baseUrl, `restart-${layout}`);
    const load = new StreamLoad(system.baseUrl, tenant, `restart-${layout}`);
    loads.push(load);
    runs.set(layout, { layout, databaseUrl, system, tenant, load, before: [], healthDuring: [] });
    mark(`${layout}: tenant ready`);
  }

  /** Load on both, PostgreSQL down for OUTAGE_MS (probing health), up again, recovery measured. */
  async function scenario(all: Run[]): Promise<void> {
    for (const run of all) run.load.start();
    await Promise.all(all.map((run) => until(`${run.layout}: 5 streams acknowledged before the outage`, 30_000, async () => run.load.acknowledged().size >= 5)));
    for (const run of all) run.before = await consumers(run.system.baseUrl, run.tenant);

    // fast: PostgreSQL terminates every session, mid-query or idle, then goes down.
    for (const run of all) run.load.phase = 'outage';
    await pg!.shutdown('fast');
    mark('PostgreSQL down');
    const downSince = Date.now();
    while (Date.now() - downSince < OUTAGE_MS) {
      await Promise.all(
        all.map(async (run) => {
          const outcome = await call(run.system.baseUrl, 'GET', '/v1/health', { timeoutMs: 5000 });
          run.healthDuring.push(outcome.kind === 'answer' ? outcome.answer : `no answer: ${outcome.code}`);
        }),
      );
      await sleep(500);
    }
    await pg!.start();
    mark('PostgreSQL up again');
    const upSince = Date.now();
    for (const run of all) run.load.phase = 'recovering';
    await Promise.all(
      all.map(async (run) => {
        run.recoveredIn = await recovery(run, upSince);
        mark(`${run.layout}: recovered`);
        run.load.phase = 'after';
        const created = await run.load.create(run.load.newKey());
        run.fresh = { created, readBack: created.streamId ? await run.load.read(created.streamId) : undefined };
      }),
    );
    await sleep(1500); // steady load goes on after recovery
    await Promise.all(all.map((run) => run.load.stop()));
  }

  it.each<Layout>(['one', 'three'])(
    'layout %s: stays up, answers 503 + Retry-After while down, recovers by itself, loses and doubles nothing',
    async (layout) => {
      const run = runs.get(layout)!;
      const { system, tenant, load } = run;
      const problems: string[] = [];
      const report = () =>
        `${problems.map((p) => `- ${p}`).join('\n')}\n\nverdicts per phase: ${JSON.stringify(load.summary())}\n${timeline.join('\n')}\n${logs(system)}\n--- postgres ---\n${pg!.logTail(15)}`;

      // Stayed up, and every answer was a success or a 503 + Retry-After: no 500, no dropped connection.
      problems.push(...exits(system));
      problems.push(...wrongAnswers(load.all()));
      if (!load.all().some((a) => a.phase === 'outage' && a.verdict === 'unavailable')) problems.push('no request hit the outage with a 503: the test did not test it');
      if (run.healthDuring.length === 0) problems.push('/v1/health was not probed during the outage');
      problems.push(...run.healthDuring.flatMap((health, i) => healthProblem(health, i)));
      // Back by itself; consumers resumed: a stream created now is in the read model when its create answers.
      if (run.recoveredIn === undefined) problems.push(`not recovered within ${RECOVERY_BUDGET_MS} ms of PostgreSQL being up (health 200 and a create 201)`);
      const { created, readBack } = run.fresh ?? {};
      if (!created || created.verdict !== 'ok' || created.stale) problems.push(`a create after recovery: ${created?.detail}${created?.stale ? ' (X-Consistency: stale)' : ''}`);
      if (readBack && (readBack.verdict !== 'ok' || readBack.stale)) problems.push(`reading the stream created after recovery: ${readBack.detail}`);

      // A dead or unrecovered system would only add a retry failure per key to the report.
      if (problems.some((p) => p.startsWith('process ') || p.startsWith('not recovered'))) throw new Error(report());

      // Retrying every key: a 201'd key replays its first answer; a refused one now succeeds, once.
      load.phase = 'settle';
      const settled = await settleAll(load, SETTLE_BUDGET_MS);
      problems.push(...settled.problems);
      mark(`${layout}: keys settled`);
      if (problems.length) throw new Error(report());

      // Nothing acknowledged lost, nothing done twice: the log (through the event store port) and the read model.
      const logged = await loggedCreations(run.databaseUrl, tenant.workspaceId);
      const inReadModel = await readModelStreams(system.baseUrl, tenant, logged.head);
      problems.push(...ledger(load, settled.finalIds, logged.byKey, logged.byStream, inReadModel));
      mark(`${layout}: log and read model compared`);
      problems.push(...(await resumed(system, tenant, run.before)));
      mark(`${layout}: consumers checked`);
      if (problems.length) throw new Error(report());

      // For the report: how long recovery took, and what the clients saw.
      console.log(
        `restart_${layout}: recovered ${run.recoveredIn} ms after PostgreSQL was up; ${settled.finalIds.size} keys; verdicts ${JSON.stringify(load.summary())}\n${timeline.join('\n')}`,
      );
    },
    90_000,
  );
});

/** ms from PostgreSQL up again until /v1/health is 200 and a create answers 201; undefined if never. */
async function recovery(run: Run, upSince: number): Promise<number | undefined> {
  while (Date.now() - upSince < RECOVERY_BUDGET_MS) {
    const health = await call(run.system.baseUrl, 'GET', '/v1/health', { timeoutMs: 5000 });
    // A fresh key each time: a refused attempt's key is retried later, by settleAll.
    if (health.kind === 'answer' && health.answer.status === 200 && (await run.load.create(run.load.newKey())).verdict === 'ok') return Date.now() - upSince;
    await sleep(250);
  }
  return undefined;
}

/** During the outage /v1/health must answer 503 and name PostgreSQL as the failing check. */
function healthProblem(health: Answer | string, index: number): string[] {
  if (typeof health === 'string') return [`/v1/health during the outage #${index}: ${health}`];
  const body = health.body as { status?: string; checks?: Record<string, { status?: string }> } | undefined;
  if (health.status === 503 && body?.status === 'error' && body.checks?.postgres?.status === 'down') return [];
  return [`/v1/health during the outage #${index}: expected 503 naming postgres down, got ${health.status} ${health.text.slice(0, 300)}`];
}

/** Every consumer live again, caught up with the head, and not behind where it was before the outage. */
async function resumed(system: System, tenant: HttpTenant, before: ConsumerStatus[]): Promise<string[]> {
  let after: ConsumerStatus[] = [];
  try {
    await until('every consumer live and caught up after recovery', 15_000, async () => {
      after = await consumers(system.baseUrl, tenant);
      return after.length > 0 && after.every((c) => c.state === 'live' && c.caught_up);
    });
  } catch {
    return after.filter((c) => c.state !== 'live' || !c.caught_up).map((c) => `consumer ${c.name}: ${c.state} at ${c.position} of ${c.head_position} ${c.error ?? ''}`);
  }
  return before.flatMap((b) => {
    const now = after.find((a) => a.name === b.name);
    if (!now) return [`consumer ${b.name} is gone after the outage`];
    return BigInt(now.position) < BigInt(b.position) ? [`consumer ${b.name} went back from ${b.position} to ${now.position}`] : [];
  });
}
