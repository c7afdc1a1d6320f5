import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '@streamplane/core';
import { dropQueues, TEST_ADMIN } from '../../support/test-app';
import { freePort } from '@streamplane/fleet/provisioner/local-provisioner';
import { answer } from './http';
import { HttpTenant } from './http-tenant';
import { RoleProcess } from './role-processes';

/** `one`: every role in one process; `three`: api, projector and worker each in its own. */
export type Layout = 'one' | 'three';

export interface System {
  baseUrl: string;
  queuePrefix: string;
  processes: RoleProcess[];
  /** The process running a role (the same one for every role in the `one` layout). */
  role(name: 'api' | 'projector' | 'worker'): RoleProcess;
  /** Kills what is still running and removes the queues; the database is the caller's. */
  close(): Promise<void>;
}

/** The product as child processes on `databaseUrl`, the api listening on a free loopback port. */
export async function startSystem(options: { layout: Layout; databaseUrl: string; label: string; logDir: string; env?: Record<string, string> }): Promise<System> {
  const port = await freePort();
  const queuePrefix = `test_faults_${options.label}_${randomBytes(3).toString('hex')}`;
  const env = {
    DATABASE_URL: options.databaseUrl,
    QUEUE_PREFIX: queuePrefix,
    PORT: String(port),
    ROLE_PROCESS_LISTEN: '1',
    // warn: the product's own account of the fault (lost connections, 503s, restarts) for the report.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    BOOTSTRAP_ADMIN_EMAIL: TEST_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: TEST_ADMIN.password,
    // The load comes from one address and one token, faster than a person: the global rate limits
    // (as in test-app) are out of the way, or 429s would hide what the faults do.
    RATE_LIMIT_PER_ADDRESS: '10000000',
    RATE_LIMIT_PER_PRINCIPAL: '10000000',
    SIGN_UP_LIMIT_PER_HOUR: '10000000',
    ...options.env,
  };
  const roles = options.layout === 'one' ? ['api,projector,worker'] : ['api', 'projector', 'worker'];
  const processes = roles.map((roles) => new RoleProcess(roles, { ...env, ROLES: roles }, join(options.logDir, `${options.label}-${roles.replace(/,/g, '+')}.log`)));
  const system: System = {
    baseUrl: `http://127.0.0.1:${port}`,
    queuePrefix,
    processes,
    role: (name) => processes.find((p) => p.name.split(',').includes(name))!,
    async close() {
      await Promise.all(processes.map((p) => p.kill('SIGKILL')));
      await dropQueues(loadConfig({ ...process.env, DATABASE_URL: options.databaseUrl, QUEUE_PREFIX: queuePrefix }));
    },
  };
  try {
    // Together: migrations take turns on an advisory lock, and the machine is busy either way.
    await Promise.all(processes.map((p) => p.start()));
  } catch (error) {
    await system.close();
    throw error;
  }
  return system;
}

export interface ConsumerStatus {
  name: string;
  state: string;
  position: string;
  head_position: string;
  caught_up: boolean;
  error: string | null;
}

/** Every projection and reactor with its checkpoint, from the admin API. */
export async function consumers(baseUrl: string, tenant: HttpTenant): Promise<ConsumerStatus[]> {
  const res = await answer(baseUrl, 'GET', '/v1/admin/projections', { headers: tenant.admin });
  if (res.status !== 200) throw new Error(`GET /v1/admin/projections: ${res.status} ${res.text.slice(0, 300)}`);
  return (res.body as { items: ConsumerStatus[] }).items;
}

/** Log tails of every process, for a failure message. */
export function logs(system: System | undefined, lines = 25): string {
  return system ? system.processes.map((p) => p.logTail(lines)).join('\n') : '';
}
