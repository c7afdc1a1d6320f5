import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import IORedis from 'ioredis';
import { freePort } from '@streamplane/fleet/provisioner/local-provisioner';
import { eventually } from './test-app';

/**
 * A redis-server of the test's own, without persistence, on a free port. Every client it sees
 * belongs to the app under test (CLIENT LIST counts the app's connections and nothing else's), and
 * killing it and starting it again on the same port is Redis losing everything.
 */
export class PrivateRedis {
  private process?: ChildProcess;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts an empty server on this port (again, after `kill`), once it answers. */
  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new IORedis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await eventually(async () => (await probe.connect().then(() => probe.ping()).catch(() => undefined)) === 'PONG', 10_000);
    } finally {
      probe.disconnect();
    }
  }

  async kill(): Promise<void> {
    const proc = this.process;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGKILL');
    await exited;
  }
}
