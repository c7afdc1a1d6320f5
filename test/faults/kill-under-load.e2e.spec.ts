import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@streamplane/core';
import { createTestDatabase, TestDatabase } from '@streamplane/testing';
import { sleep } from './support/http';
import { httpTenant, HttpTenant, until } from './support/http-tenant';
import { loggedCreations, queuedStreams, readModelStreams } from './support/stream-checks';
import { StreamLoad } from './support/stream-load';
import { consumers, logs, startSystem, System } from './support/system';
import { exits, ledger, settleAll } from './support/verdicts';

/** How long the load runs between faults: enough for each lane to go through a few creates. */
const STEADY_MS = 1500;
/** Retries of every key whose answer was lost or refused; an abandoned claim frees after 10 s. */
// Generous: on a loaded 2-core machine every retry waits for processes that are still warming up.
const SETTLE_BUDGET_MS = 90_000;

/**
 * api, projector and worker as three processes under a load of creates with Idempotency-Key;
 * each role is SIGKILLed in turn and restarted. Nothing acknowledged may be lost, nothing done
 * twice, and a client retrying a request whose answer the kill swallowed must get the original
 * answer (the same stream), never a second stream.
 */
describe('Kill each role under load', () => {
  let db: TestDatabase | undefined;
  let system: System | undefined;
  let load: StreamLoad | undefined;
  let logDir: string;
  const timeline: string[] = [];
  const started = Date.now();
  const mark = (what: string) => timeline.push(`${what} +${Date.now() - started} ms`);

  beforeAll(() => {
    logDir = mkdtempSync(join(tmpdir(), 'sp-faults-logs-'));
  });

  afterAll(async () => {
    await load?.stop();
    await system?.close().catch(() => undefined);
    await db?.drop();
    // KEEP_FAULT_LOGS=1 keeps the processes' logs (paths in the failure message) for a post-mortem.
    if (process.env.KEEP_FAULT_LOGS !== '1') rmSync(logDir, { recursive: true, force: true });
  }, 60_000);

  it('loses nothing acknowledged, does nothing twice, and answers every retried key with its original stream', async () => {
    db = await createTestDatabase('faults_kill');
    // Short consistency bounds: while the projector is down, creates and reads answer (stale) in 2 s.
    system = await startSystem({ layout: 'three', databaseUrl: db.url, label: 'kill', logDir, env: { READ_YOUR_WRITES_TIMEOUT_MS: '2000', MIN_POSITION_TIMEOUT_MS: '2000' } });
    mark('processes ready');
    const tenant: HttpTenant = await httpTenant(system.baseUrl, 'kill');
    const live = new StreamLoad(system.baseUrl, tenant, 'kill');
    load = live;
    const problems: string[] = [];
    const report = () => `${problems.map((p) => `- ${p}`).join('\n')}\n\nverdicts per phase: ${JSON.stringify(live.summary())}\n${timeline.join('\n')}\n${logs(system)}`;

    live.start();
    await until('5 streams acknowledged before the first kill', 30_000, async () => live.acknowledged().size >= 5);
    const api = system.role('api');
    const projector = system.role('projector');
    const worker = system.role('worker');

    // The api, killed while its creates wait for read-your-writes: the projector is held (SIGSTOP)
    // for a moment first, so the requests in flight at the kill have appended their events but
    // not stored their answers — the window where a retry could create a second stream.
    live.phase = 'api killed';
    projector.pause();
    await sleep(800);
    await api.kill();
    projector.resume();
    mark('api killed');
    await api.start();
    mark('api restarted');
    live.phase = 'api back';
    await sleep(STEADY_MS);

    // The projector, killed mid-batch under load; creates answer 201 (stale) until it is back.
    live.phase = 'projector killed';
    await projector.kill();
    mark('projector killed');
    const projectorBack = projector.start();
    await sleep(1000);
    // The worker, killed while the projector is still starting (both restarts overlap: CI budget).
    live.phase = 'worker killed';
    await worker.kill();
    mark('worker killed');
    await Promise.all([projectorBack, worker.start()]);
    mark('projector and worker restarted');
    live.phase = 'all back';
    await sleep(STEADY_MS);
    await live.stop();

    problems.push(...exits(system));
    // Answers the kills swallowed: in flight when the api died (reset), or sent while it was down (refused).
    const lost = [...live.keys.values()].filter((r) => r.attempts.length > 0 && r.attempts.every((a) => a.verdict === 'dropped'));
    const inFlight = lost.filter((r) => r.attempts.some((a) => a.code !== 'ECONNREFUSED'));
    const before = await loggedCreations(db.url, tenant.workspaceId);
    const appendedButUnanswered = inFlight.filter((r) => before.byKey.has(r.key));
    // Not a product check: proof that this run reached the window it is about.
    if (appendedButUnanswered.length === 0) problems.push(`no request was killed between its append and its answer (${inFlight.length} in flight at the kill)`);
    problems.push(
      ...live
        .all()
        .filter((a) => a.verdict === 'bad' || a.verdict === 'not_found')
        .slice(0, 10)
        .map((a) => `${a.phase} +${a.at} ms: ${a.verdict}: ${a.detail}`),
    );

    if (problems.some((p) => p.startsWith('process '))) throw new Error(report());

    // Every key retried with its own key and body: a 201'd one replays, a lost one answers its stream.
    live.phase = 'settle';
    const settled = await settleAll(live, SETTLE_BUDGET_MS);
    mark('keys settled');
    problems.push(...settled.problems);
    if (problems.length) throw new Error(report());

    const logged = await loggedCreations(db.url, tenant.workspaceId);
    // A key whose events were in the log before its retry must answer the stream those events name.
    for (const record of appendedButUnanswered) {
      const wrote = before.byKey.get(record.key)!;
      if (settled.finalIds.get(record.key) !== wrote[0]) problems.push(`${record.key}: the killed attempt wrote ${wrote[0]}, the retry answered ${settled.finalIds.get(record.key)}`);
    }
    problems.push(...ledger(live, settled.finalIds, logged.byKey, logged.byStream, await readModelStreams(system.baseUrl, tenant, logged.head)));
    // The reactors (killed with the projector) put each stream on the processing queue once.
    await until('every consumer caught up', 20_000, async () => (await consumers(system!.baseUrl, tenant)).every((c) => c.state === 'live' && c.caught_up));
    const queued = await queuedStreams(loadConfig({ ...process.env }).redisUrl, system.queuePrefix, tenant.workspaceId);
    for (const id of settled.finalIds.values()) if (queued.get(id) !== 1) problems.push(`stream ${id} is on the processing queue ${queued.get(id) ?? 0} times`);
    mark('log, read model and queue compared');
    if (problems.length) throw new Error(report());

    console.log(
      `kill: ${settled.finalIds.size} keys, ${lost.length} answers lost (${inFlight.length} in flight, ${appendedButUnanswered.length} appended but unanswered); ` +
        `verdicts ${JSON.stringify(live.summary())}\n${timeline.join('\n')}`,
    );
  }, 300_000);
});
