import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@streamplane/core';
import { settableEnv } from '../domain/env-names';
import { matchesLogQuery, parseLogLine } from './log-lines';
import { followLogFile } from './log-follower';
import { FollowedLogLine, InstanceSpec, LogFollow, LogLine, LogQuery, Provisioner, RunningInstance } from './provisioner.port';

const HEALTH_TIMEOUT_MS = 20_000;

interface Runtime {
  pid: number;
  port: number;
  specHash: string;
}

/**
 * The `local` driver: each instance is a real process on this machine running the built-in media
 * node. A small state file per instance (pid, port, spec) lets another worker — after a crash —
 * find the copy that runs and either keep it (same spec) or replace it, so there is never more
 * than one. Logs go to `<instance>.log` beside it.
 */
@Injectable()
export class LocalProvisioner implements Provisioner, OnModuleDestroy {
  private readonly logger = new Logger('provisioner');
  private readonly dir: string;
  private readonly children = new Map<string, ChildProcess>();
  private readonly startDelayMs: number;
  readonly hostId: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.startDelayMs = config.mediaNodeStartDelayMs;
    // One folder per install (database), so test runs and installs on one machine keep apart.
    const install = createHash('sha256').update(config.databaseUrl).digest('hex').slice(0, 12);
    const base = config.instancesDir ?? join(tmpdir(), 'streamplane-instances');
    this.dir = join(base, install);
    mkdirSync(this.dir, { recursive: true });
    // The state files are what makes a host: two workers sharing a folder see the same instances.
    this.hostId = config.workerHostId ?? `${hostname()}:${base}`;
  }

  runsHere(instanceId: string): boolean {
    return existsSync(this.runtimeFile(instanceId));
  }

  logFile(instanceId: string): string {
    return join(this.dir, `${instanceId}.log`);
  }

  async ensureRunning(spec: InstanceSpec): Promise<RunningInstance> {
    const specHash = createHash('sha256').update(JSON.stringify(spec)).digest('hex');
    const current = this.runtimeOf(spec.instanceId);
    if (current && current.specHash === specHash && alive(current.pid) && (await this.healthy(current.port))) {
      return { endpoint: `http://127.0.0.1:${current.port}` };
    }
    await this.ensureStopped(spec.instanceId);
    const port = await freePort();
    const child = this.spawnNode(spec, port);
    this.writeRuntime(spec.instanceId, { pid: child.pid!, port, specHash });
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    while (!(await this.healthy(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await this.ensureStopped(spec.instanceId);
        throw new Error(child.exitCode !== null ? `the media node exited with code ${child.exitCode} while starting` : `the media node did not answer /health within ${HEALTH_TIMEOUT_MS / 1000} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { endpoint: `http://127.0.0.1:${port}` };
  }

  async ensureStopped(instanceId: string): Promise<void> {
    const runtime = this.runtimeOf(instanceId);
    if (runtime && alive(runtime.pid)) {
      process.kill(runtime.pid, 'SIGTERM');
      const deadline = Date.now() + 5000;
      while (alive(runtime.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      if (alive(runtime.pid)) {
        process.kill(runtime.pid, 'SIGKILL');
        while (alive(runtime.pid) && Date.now() < deadline + 2000) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    this.children.delete(instanceId);
    rmSync(this.runtimeFile(instanceId), { force: true });
  }

  /** Stops every instance this install runs on this machine (tests, and tearing an install down). */
  async stopAll(): Promise<void> {
    const ids = readdirSync(this.dir).filter((file) => file.endsWith('.json')).map((file) => file.slice(0, -'.json'.length));
    await Promise.all(ids.map((id) => this.ensureStopped(id)));
  }

  async isHealthy(instanceId: string): Promise<boolean> {
    const runtime = this.runtimeOf(instanceId);
    return Boolean(runtime && alive(runtime.pid) && (await this.healthy(runtime.port)));
  }

  async logs(instanceId: string, query: LogQuery): Promise<LogLine[]> {
    const file = this.logFile(instanceId);
    if (!existsSync(file)) return [];
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(parseLogLine)
      .filter((entry) => matchesLogQuery(entry, query));
    return lines.slice(-query.limit);
  }

  followLogs(instanceId: string, follow: LogFollow, signal: AbortSignal): AsyncIterable<FollowedLogLine> {
    return followLogFile(this.logFile(instanceId), follow, signal);
  }

  /** Instances outlive a worker that stops: that is the point. Only this process's pipes are closed. */
  onModuleDestroy(): void {
    for (const child of this.children.values()) child.unref();
  }

  private spawnNode(spec: InstanceSpec, port: number): ChildProcess {
    // The instance id in argv makes each process findable with ps.
    const args = [mediaNodeScript(), `--instance=${spec.instanceId}`];
    const log = openSync(this.logFile(spec.instanceId), 'a');
    try {
      const child = spawn(process.execPath, args, {
        env: this.childEnv(spec, port),
        stdio: ['ignore', log, log],
        detached: true,
      });
      child.unref();
      this.children.set(spec.instanceId, child);
      this.logger.log(`started ${spec.instanceId} (${spec.imageVersion}) as pid ${child.pid} on port ${port}`);
      return child;
    } finally {
      closeSync(log);
    }
  }

  private childEnv(spec: InstanceSpec, port: number): NodeJS.ProcessEnv {
    const { env, dropped } = mediaNodeEnv(spec, port, this.startDelayMs);
    if (dropped.length) this.logger.warn(`${spec.instanceId}: not passing reserved variables ${dropped.join(', ')}`);
    return env;
  }

  private async healthy(port: number): Promise<boolean> {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
      return response.ok;
    } catch {
      return false;
    }
  }

  private runtimeFile(instanceId: string): string {
    return join(this.dir, `${instanceId}.json`);
  }

  private runtimeOf(instanceId: string): Runtime | undefined {
    const file = this.runtimeFile(instanceId);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Runtime) : undefined;
  }

  private writeRuntime(instanceId: string, runtime: Runtime): void {
    writeFileSync(this.runtimeFile(instanceId), JSON.stringify(runtime));
  }
}

/**
 * The only variables of the worker's own environment an instance inherits. The worker holds
 * DATABASE_URL, REDIS_URL, tokens and cloud credentials; an instance runs a member's
 * configuration and must see none of them.
 */
const INHERITED_FROM_WORKER = ['PATH'] as const;

/**
 * A media node's environment: the member's variables first, then the platform's, so the
 * platform's always win; reserved names are dropped even if the log holds them (events written
 * before the API refused them), because NODE_OPTIONS and friends would run code on this host.
 */
export function mediaNodeEnv(spec: InstanceSpec, port: number, startDelayMs: number, workerEnv: NodeJS.ProcessEnv = process.env): { env: Record<string, string>; dropped: string[] } {
  const user = settableEnv(spec.env);
  const inherited: Record<string, string> = {};
  for (const name of INHERITED_FROM_WORKER) if (workerEnv[name] !== undefined) inherited[name] = workerEnv[name];
  const platform = {
    PORT: String(port),
    INSTANCE_ID: spec.instanceId,
    MEDIA_NODE_VERSION: spec.imageVersion,
    MEDIA_NODE_ENV_NAMES: Object.keys(user.env).join(','),
    MEDIA_NODE_START_DELAY_MS: String(startDelayMs),
  };
  return { env: { ...user.env, ...inherited, ...platform }, dropped: user.dropped };
}

let mediaNodeJs: string | undefined;

/**
 * The media node's script: the compiled one in a build; when running from source (tests, the
 * bench), the TypeScript transpiled once into a temp file, so that each instance starts as a
 * plain `node` process rather than loading a compiler.
 */
export function mediaNodeScript(): string {
  const source = join(__dirname, '..', '..', '..', '..', 'apps', 'media-node', 'src');
  if (__filename.endsWith('.js')) return join(source, 'main.js');
  if (!mediaNodeJs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a dev-only dependency, loaded only when running from source
    const ts = require('typescript') as typeof import('typescript');
    const code = readFileSync(join(source, 'main.ts'), 'utf8');
    const { outputText } = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    mediaNodeJs = join(tmpdir(), `streamplane-media-node-${createHash('sha256').update(outputText).digest('hex').slice(0, 12)}.js`);
    writeFileSync(mediaNodeJs, outputText);
  }
  return mediaNodeJs;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An exited child nobody has reaped yet (a zombie) still answers signal 0, but it is gone.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux): trust the signal
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
