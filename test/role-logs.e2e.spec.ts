import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '@streamplane/core';
import { createTestDatabase, TestDatabase } from '@streamplane/testing';
import { dropQueues } from './support/test-app';

const prefix = (entry: string) => `test_role_logs_${entry}_${process.pid}`;

/** A process of one role logs like the all-in-one process does: in a split deployment, logs are all an operator has. */
describe('Roles as their own processes print their logs', () => {
  let db: TestDatabase;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('role_logs');
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await db.drop();
    for (const entry of ['projector', 'worker']) await dropQueues(loadConfig({ ...process.env, QUEUE_PREFIX: prefix(entry) }));
  });

  /** Starts a role through its real entry point and resolves with its output once `expected` appears in it. */
  function outputOf(entry: string, expected: RegExp): Promise<string> {
    const child = fork(join(__dirname, '..', 'apps', entry, 'src', 'main.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: { ...process.env, DATABASE_URL: db.url, QUEUE_PREFIX: prefix(entry), LOG_LEVEL: 'info', TS_NODE_PROJECT: 'tsconfig.json' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    children.push(child);
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${expected} in:\n${output.slice(-2000)}`)), 45_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (expected.test(output)) {
          clearTimeout(timer);
          resolve(output);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${entry} exited with ${code}:\n${output.slice(-2000)}`))));
    });
  }

  it('the projector reports what it follows, as JSON lines', async () => {
    const output = await outputOf('projector', /following the log with \d+ projections and reactors/);
    const line = output.split('\n').find((l) => l.includes('following the log with'))!;
    expect(JSON.parse(line)).toMatchObject({ level: 30, context: 'projector' });
  }, 60_000);

  it('the worker reports that it runs', async () => {
    await outputOf('worker', /Streamplane \(worker\) running/);
  }, 60_000);
});
