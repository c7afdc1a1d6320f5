import autocannon from 'autocannon';
import { BenchSection, fmt, printRows, SECONDS } from './measure';
import { startSystem } from './system-under-test';

const CONNECTIONS = 16;

interface Load {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Sign-in (argon2 verify + a session row) and bearer-authenticated reads through HTTP, against
 * GET /v1/version — the same server, no auth, no database — as the baseline of this run.
 */
export async function benchIdentity(): Promise<BenchSection> {
  const system = await startSystem('identity');
  try {
    const password = 'bench-user-password';
    const user = await system.verifiedUser('bench-user@example.com', password);
    const auth = { authorization: `Bearer ${user.token}` };
    const workspace = await system.call<{ id: string }>('POST', '/v1/workspaces', { token: user.token, body: { name: 'Bench' }, expect: 201 });

    const loads: Load[] = [
      { name: 'GET /v1/version (baseline: no auth, no database)', method: 'GET', path: '/v1/version' },
      { name: 'POST /v1/auth/sign-in', method: 'POST', path: '/v1/auth/sign-in', headers: { 'content-type': 'application/json' }, body: { email: 'bench-user@example.com', password } },
      { name: 'GET /v1/me (bearer session token)', method: 'GET', path: '/v1/me', headers: auth },
      { name: 'GET /v1/workspaces/{id}/members (bearer + tenancy guard)', method: 'GET', path: `/v1/workspaces/${workspace.id}/members`, headers: auth },
    ];
    const results = [];
    for (const load of loads) results.push({ load, result: await hammer(system.url, load) });

    const baseline = results[0].result.requests.average;
    const rows = results.map(({ load, result }) => [load.name, result.requests.average, result.requests.average / baseline, 'req/s'] as const);
    printRows(rows);
    for (const { load, result } of results) {
      console.log(`  ${load.name}: latency median ${fmt(result.latency.p50, 1)} ms, p99 ${fmt(result.latency.p99, 1)} ms; non-2xx ${result.non2xx}, errors ${result.errors}`);
    }
    return {
      rows: rows.map(([name, value, ratio, unit]) => ({ name, value, ratio, unit })),
      extra: { connections: CONNECTIONS, latency: Object.fromEntries(results.map(({ load, result }) => [load.name, { p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx }])) },
    };
  } finally {
    await system.stop();
  }
}

async function hammer(url: string, load: Load): Promise<autocannon.Result> {
  const result = await autocannon({
    url: `${url}${load.path}`,
    method: load.method,
    headers: load.headers,
    body: load.body === undefined ? undefined : JSON.stringify(load.body),
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${load.name}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  return result;
}
