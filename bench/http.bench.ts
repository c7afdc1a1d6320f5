import { ChildProcess, execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createTestDatabase } from '@streamplane/testing';
import { BenchSection, fmt, printRows, SECONDS } from './measure';
import { startSystem } from './system-under-test';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const STREAM_BODY = { name: 'cam-1', description: 'bench', data: { reference: 'rtsp://cams.example/1', type: 'tcp' }, event_handler: {} };

interface Figures {
  rate: number;
  p50: number;
  p99: number;
}

/**
 * The HTTP hot paths against a plain Fastify + pg service doing the same work, driven by the same
 * load generator with the same settings in one run: GET /v1/version vs a hello, POST /streams vs
 * one INSERT, GET /streams/{id} vs a SELECT by id. Also the RSS of the system's process under load.
 */
export async function benchHttp(): Promise<BenchSection> {
  const baseline = await measureBaseline();
  const system = await startSystem('http');
  try {
    const token = system.adminToken;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const workspace = await system.call<{ id: string }>('POST', '/v1/workspaces', { token, body: { name: 'bench' }, expect: 201 });
    const streams = `/v1/workspaces/${workspace.id}/streams`;
    const one = await system.call<{ stream_id: string }>('POST', streams, { token, body: { ...STREAM_BODY, status: 'pause' }, expect: 201 });
    const version = await load(`${system.url}/v1/version`, 'GET');
    const create = await load(`${system.url}${streams}`, 'POST', auth, STREAM_BODY);
    const rss = rssMegabytes(system.pid);
    const read = await load(`${system.url}${streams}/${one.stream_id}`, 'GET', auth);

    const rows = [
      ['plain Fastify: GET /hello', baseline.hello.rate, NaN, 'req/s'],
      ['plain Fastify + pg: POST (one INSERT)', baseline.insert.rate, NaN, 'req/s'],
      ['plain Fastify + pg: GET by id (one SELECT)', baseline.select.rate, NaN, 'req/s'],
      ['GET /v1/version (vs hello)', version.rate, version.rate / baseline.hello.rate, 'req/s'],
      ['POST /v1/workspaces/{ws}/streams (vs INSERT)', create.rate, create.rate / baseline.insert.rate, 'req/s'],
      ['GET /v1/workspaces/{ws}/streams/{id} (vs SELECT)', read.rate, read.rate / baseline.select.rate, 'req/s'],
    ] as const;
    printRows(rows);
    const latencies = { hello: baseline.hello, insert: baseline.insert, select: baseline.select, version, create, read };
    for (const [name, f] of Object.entries(latencies)) console.log(`  ${name}: p50 ${fmt(f.p50, 1)} ms, p99 ${fmt(f.p99, 1)} ms`);
    console.log(`  system RSS after the create load: ${fmt(rss)} MB (${CONNECTIONS} connections, ${SECONDS} s per scenario)`);
    return { rows: rows.map(([name, value, ratio, unit]) => ({ name, value, ratio, unit })), extra: { connections: CONNECTIONS, latencies, rssMegabytes: rss } };
  } finally {
    await system.stop();
  }
}

async function measureBaseline(): Promise<Record<'hello' | 'insert' | 'select', Figures>> {
  const db = await createTestDatabase('bench_plain');
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  const child: ChildProcess = fork(join(__dirname, 'plain-service.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    await once(child, 'message');
    const url = `http://127.0.0.1:${port}`;
    return {
      hello: await load(`${url}/hello`, 'GET'),
      insert: await load(`${url}/streams`, 'POST', { 'content-type': 'application/json' }, STREAM_BODY),
      select: await load(`${url}/streams/1`, 'GET'),
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    await db.drop();
  }
}

async function load(url: string, method: 'GET' | 'POST', headers?: Record<string, string>, body?: unknown): Promise<Figures> {
  const result = await autocannon({ url, method, headers, body: body === undefined ? undefined : JSON.stringify(body), connections: CONNECTIONS, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${method} ${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  return { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

function rssMegabytes(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;
}
