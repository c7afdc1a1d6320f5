import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@streamplane/core';
import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { TestApp } from './test-app';

/** A worker role as a process of its own, with its own host id and instances folder. */
export interface WorkerHost {
  id: string;
  dir: string;
  process?: ChildProcess;
}

export function workerHosts(...ids: string[]): WorkerHost[] {
  return ids.map((id) => ({ id, dir: mkdtempSync(join(tmpdir(), `streamplane-${id}-`)) }));
}

/** Starts each host's worker on the app's database and queues, one after the other, each once ready. */
export async function startWorkerHosts(t: TestApp, hosts: WorkerHost[], env: Record<string, string> = {}): Promise<void> {
  for (const host of hosts) {
    host.process = fork(join(__dirname, 'role-process.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: { ...process.env, ...env, ROLES: 'worker', WORKER_HOST_ID: host.id, INSTANCES_DIR: host.dir, DATABASE_URL: t.config.databaseUrl, QUEUE_PREFIX: t.config.queuePrefix, LOG_LEVEL: 'silent', TS_NODE_PROJECT: 'tsconfig.json' },
      stdio: 'ignore',
    });
    await once(host.process, 'message');
  }
}

/** Kills the workers, then stops what each started: instances outlive their workers, and each host knows only its own folder. */
export async function stopWorkerHosts(t: TestApp, hosts: WorkerHost[]): Promise<void> {
  for (const host of hosts) host.process?.kill('SIGKILL');
  for (const host of hosts) await new LocalProvisioner(loadConfig({ DATABASE_URL: t.config.databaseUrl, INSTANCES_DIR: host.dir })).stopAll();
}

export function removeWorkerHosts(hosts: WorkerHost[]): void {
  for (const host of hosts) rmSync(host.dir, { recursive: true, force: true });
}
