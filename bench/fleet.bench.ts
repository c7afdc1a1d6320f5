import { spawn } from 'node:child_process';
import { freePort, mediaNodeScript } from '@streamplane/fleet/provisioner/local-provisioner';
import { BenchSection, fmt, percentile, printRows } from './measure';
import { startSystem, SystemUnderTest, waitFor } from './system-under-test';

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 20);
const CONCURRENCY = 4;

/**
 * Instances requested → running through HTTP (request, deploy job, local provisioner, health),
 * against the floor: the time the media-node process itself takes to start and answer /health,
 * measured in the same run by starting it directly.
 */
export async function benchFleet(): Promise<BenchSection> {
  const floor = await mediaNodeStartTimes(INSTANCES);
  const system = await startSystem('fleet', { HEALTH_CHECK_SECONDS: '60' });
  try {
    const { token, base } = await workspaceWithRoom(system);
    const cluster = await system.call<{ id: string }>('POST', `${base}/clusters`, { token, body: { name: 'bench', image_version: '1.0.0' }, expect: 201 });

    const latencies: number[] = [];
    const ids: string[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < INSTANCES) {
          next++;
          const t0 = performance.now();
          const { id } = await system.call<{ id: string }>('POST', `${base}/instances`, { token, body: { cluster_id: cluster.id }, expect: 202 });
          ids.push(id);
          await waitFor(async () => (await system.call<{ status: string }>('GET', `${base}/instances/${id}`, { token })).status === 'running', 60_000, `instance ${id} to run`);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const rate = INSTANCES / ((performance.now() - started) / 1000);
    for (const id of ids) await system.call('DELETE', `${base}/instances/${id}`, { token, expect: 202 });
    for (const id of ids) await waitFor(async () => (await system.call<{ status: string }>('GET', `${base}/instances/${id}`, { token })).status === 'archived', 30_000, 'archive');

    const floorRate = floor.rate;
    const rows = [
      [`media node start → /health, ${CONCURRENCY} at a time (floor)`, floorRate, 1, 'starts/s'],
      [`instances requested → running, ${CONCURRENCY} at a time`, rate, rate / floorRate, 'inst/s'],
    ] as const;
    printRows(rows);
    const result = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), floorP50: percentile(floor.times, 50), floorP99: percentile(floor.times, 99) };
    console.log(`  request → running: p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms (${latencies.length} instances)`);
    console.log(`  media node alone: p50 ${fmt(result.floorP50)} ms, p99 ${fmt(result.floorP99)} ms (${floor.times.length} starts)`);
    return { rows: rows.map(([name, value, ratio, unit]) => ({ name, value, ratio, unit })), extra: result };
  } finally {
    await system.stop();
  }
}

/** A user whose workspace may run all the bench's instances (a platform admin approves the limit). */
async function workspaceWithRoom(system: SystemUnderTest): Promise<{ token: string; base: string }> {
  const user = await system.verifiedUser('bench-fleet@example.com', 'bench-user-password');
  const ws = await system.call<{ id: string }>('POST', '/v1/workspaces', { token: user.token, body: { name: 'Fleet bench' }, expect: 201 });
  const base = `/v1/workspaces/${ws.id}`;
  const request = await system.call<{ id: string }>('POST', `${base}/limit-requests`, { token: user.token, body: { desired_limit: INSTANCES + 5, reason: 'bench' }, expect: 201 });
  await system.call('POST', `/v1/admin/limit-requests/${request.id}/approve`, { token: system.adminToken, expect: 200 });
  return { token: user.token, base };
}

/** Starts the media node the way the local provisioner does, as many at a time as the bench requests instances, and times each to /health. */
async function mediaNodeStartTimes(count: number): Promise<{ times: number[]; rate: number }> {
  const times: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < count) times.push(await startOnce());
  }));
  return { times, rate: count / ((performance.now() - began) / 1000) };
}

async function startOnce(): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [mediaNodeScript()], {
    env: { PATH: process.env.PATH, PORT: String(port) },
    stdio: 'ignore',
  });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.ok === true, 20_000, 'the media node');
  const elapsed = performance.now() - t0;
  child.kill('SIGTERM');
  return elapsed;
}
