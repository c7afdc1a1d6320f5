import { ChildProcess, fork } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROLE_PROCESS = join(__dirname, '..', '..', 'support', 'role-process.ts');
const START_TIMEOUT_MS = 90_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The test killed it on purpose. */
  expected: boolean;
}

/**
 * One product process (test/support/role-process.ts) running the roles given, with its output
 * in a log file (JSON lines) for the failure report. It remembers every exit, so a test can
 * assert that nothing died that it did not kill.
 */
export class RoleProcess {
  readonly exits: Exit[] = [];
  private child?: ChildProcess;
  private killing = false;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    readonly logFile: string,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts it and resolves once it is ready (migrated, listening if it is the api). */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const log = openSync(this.logFile, 'a');
    const child = fork(ROLE_PROCESS, [], {
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json', ...this.env },
      stdio: ['ignore', log, log, 'ipc'],
    });
    closeSync(log); // the child has its own copy
    this.child = child;
    this.killing = false;
    child.once('exit', (code, signal) => this.exits.push({ code, signal, expected: this.killing }));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${this.name} not ready within ${START_TIMEOUT_MS} ms\n${this.logTail()}`));
      }, START_TIMEOUT_MS);
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited while starting (${code ?? signal})\n${this.logTail()}`));
      });
    });
  }

  /** Kills it (SIGKILL by default: no shutdown hooks, like a crash) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.killing = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** SIGSTOP / SIGCONT: a process that hangs without dying. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  unexpectedExits(): Exit[] {
    return this.exits.filter((exit) => !exit.expected);
  }

  logTail(lines = 40): string {
    try {
      const all = readFileSync(this.logFile, 'utf8').trimEnd().split('\n');
      // Request logs carry whole headers: the start of each line says enough.
      const cut = all.slice(-lines).map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line));
      return `--- ${this.name} (${this.logFile}), last ${lines} lines ---\n${cut.join('\n')}`;
    } catch {
      return `--- ${this.name}: no log ---`;
    }
  }
}

/** Kills every process still running, in parallel; for afterAll, pass or fail. */
export async function killAll(processes: RoleProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.kill('SIGKILL')));
}
