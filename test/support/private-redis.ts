import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import IORedis from 'ioredis';
import { freePort } from '../faults/support/free-port';
import { eventually } from './test-app';

/**
 * A redis-server of the test's own, without persistence, on a free port: every client it sees
 * belongs to the app under test (plus the test's own probe), so CLIENT LIST counts the app's
 * connections and nothing else's.
 */
export class PrivateRedis {
  private process?: ChildProcess;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    redis.process = spawn('redis-server', ['--port', String(redis.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new IORedis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await eventually(async () => (await probe.connect().then(() => probe.ping()).catch(() => undefined)) === 'PONG', 10_000);
    } finally {
      probe.disconnect();
    }
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const proc = this.process;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGKILL');
    await exited;
  }
}
