import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '@streamplane/fleet/provisioner/local-provisioner';
import { createTestDatabase } from '@streamplane/testing';

export const BENCH_ADMIN = { email: 'bench-admin@streamplane.test', password: 'bench-admin-password' };
const ROOT = join(__dirname, '..');

export interface SystemUnderTest {
  url: string;
  databaseUrl: string;
  /** The system's process, for measuring its memory. */
  pid?: number;
  /** JSON request against the system; throws on an unexpected status. */
  call<T = Record<string, unknown>>(method: string, path: string, options?: { token?: string; body?: unknown; expect?: number }): Promise<T>;
  /** Signs up, verifies through the outbox mail and signs in; returns the user's session token. */
  verifiedUser(email: string, password: string): Promise<{ id: string; token: string }>;
  adminToken: string;
  stop(): Promise<void>;
}

/**
 * The whole system (api, projector, worker) in a child process on its own database and queue
 * prefix, as `npm start` runs it: the load generator then does not share its event loop.
 */
export async function startSystem(label: string, env: Record<string, string> = {}): Promise<SystemUnderTest> {
  const db = await createTestDatabase(`bench_${label}`);
  // A port the kernel just handed out: a random one can be an outgoing connection's already.
  const port = await freePort();
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the system under load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'apps/streamplane/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TS_NODE_TRANSPILE_ONLY: 'true',
      PORT: String(port),
      DATABASE_URL: db.url,
      QUEUE_PREFIX: `bench_${label}_${randomBytes(3).toString('hex')}`,
      LOG_LEVEL: 'warn',
      BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await db.drop();
  };
  try {
    return { ...(await connect(url, db.url, stop)), pid: child.pid };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function connect(url: string, databaseUrl: string, stop: () => Promise<void>): Promise<SystemUnderTest> {
  await waitFor(async () => (await fetch(`${url}/v1/health`).catch(() => undefined))?.ok === true, 60_000, 'the system to answer /v1/health');

  async function call<T>(method: string, path: string, options: { token?: string; body?: unknown; expect?: number } = {}): Promise<T> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    if (options.expect !== undefined && res.status !== options.expect) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  // The bootstrapped admin signs in once its account has reached the read model.
  let adminToken = '';
  await waitFor(async () => Boolean((adminToken = (await call<{ token?: string }>('POST', '/v1/auth/sign-in', { body: BENCH_ADMIN })).token ?? '')), 30_000, 'the platform admin');

  return {
    url,
    databaseUrl,
    call,
    adminToken,
    async verifiedUser(email, password) {
      const { id } = await call<{ id: string }>('POST', '/v1/auth/sign-up', { body: { email, password }, expect: 201 });
      let token: string | undefined;
      await waitFor(async () => {
        const mails = await call<{ items: Array<{ body: string }> }>('GET', `/v1/admin/mail?to=${encodeURIComponent(email)}`, { token: adminToken });
        token = mails.items.map((m) => /(sp_verify_[A-Za-z0-9_-]+)/.exec(m.body)?.[1]).find(Boolean);
        return token !== undefined;
      }, 10_000, 'the verification mail');
      await call('POST', '/v1/auth/verify', { body: { verification_token: token }, expect: 200 });
      return { id, token: (await call<{ token: string }>('POST', '/v1/auth/sign-in', { body: { email, password }, expect: 200 })).token };
    },
    stop,
  };
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
