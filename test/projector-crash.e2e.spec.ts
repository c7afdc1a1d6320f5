import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, CheckpointStore, ConsumerRegistry, PG_POOL, rebuildProjection } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { ChangeCounter } from './fixtures/counters/counter.commands';

const COUNTERS = 40;
const INCREMENTS = 25;

/** DESIGN §5: a crash at any point neither loses nor double-applies an event. */
describe('Projector crash: killed mid-batch, restarted, equal to a fresh replay', () => {
  let t: TestApp;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    // Only the api role here: the projector runs as a separate process that the test kills.
    t = await startTestApp('crash', { env: { ROLES: 'api', READ_YOUR_WRITES_TIMEOUT_MS: '0' } });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await t.close();
  });

  function startProjector(env: Record<string, string>): Promise<ChildProcess> {
    const process_ = fork(join(__dirname, 'support', 'role-process.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: { ...process.env, DATABASE_URL: t.config.databaseUrl, QUEUE_PREFIX: t.config.queuePrefix, LOG_LEVEL: 'silent', TS_NODE_PROJECT: 'tsconfig.json', ...env },
      stdio: 'ignore',
    });
    return new Promise((resolve, reject) => {
      process_.once('message', () => resolve(process_));
      process_.once('exit', (code) => reject(new Error(`projector exited with ${code}`)));
    });
  }

  const checkpoint = async () => BigInt((await t.db.pool.query(`SELECT position FROM projection_checkpoints WHERE name = 'counters'`)).rows[0]?.position ?? 0);
  const head = async () => BigInt((await t.db.pool.query('SELECT max(position) AS p FROM events')).rows[0].p);

  it('loses and repeats nothing', async () => {
    const commands = t.app.get(CommandBus);
    const ids = Array.from({ length: COUNTERS }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    await Promise.all(ids.map((id) => commands.execute(new ChangeCounter(id, { type: 'OpenCounter', id, name: id }))));
    for (let round = 0; round < INCREMENTS; round++) {
      await Promise.all(ids.map((id, i) => commands.execute(new ChangeCounter(id, { type: 'IncrementCounter', by: (i % 7) + 1 }))));
    }
    const end = await head();

    child = await startProjector({ PROJECTION_BATCH_SIZE: '50', COUNTERS_PROJECTION_DELAY_MS: '30' });
    await eventually(async () => (await checkpoint()) > 0n, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 45)); // somewhere inside a later batch
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    const atCrash = await checkpoint();
    expect(atCrash).toBeGreaterThan(0n);
    expect(atCrash).toBeLessThan(end);

    child = await startProjector({ PROJECTION_BATCH_SIZE: '50' });
    await eventually(async () => (await checkpoint()) >= end, 30_000);
    child.kill('SIGTERM');

    const { rows } = await t.db.pool.query<{ id: string; total: number; version: number }>('SELECT id, total, version FROM read.counters ORDER BY id');
    expect(rows).toHaveLength(COUNTERS);
    rows.forEach((row, i) => expect(row).toMatchObject({ id: ids[i], total: INCREMENTS * ((i % 7) + 1), version: INCREMENTS + 1 }));

    const report = await rebuildProjection(
      { pool: t.app.get<Pool>(PG_POOL), store: t.app.get<EventStore>(EVENT_STORE), checkpoints: t.app.get(CheckpointStore), databaseUrl: t.app.get<AppConfig>(APP_CONFIG).databaseUrl },
      t.app.get(ConsumerRegistry).projections().find((p) => p.name === 'counters')!,
      { batchSize: 500 },
    );
    expect(report).toMatchObject({ equal: true, differences: { counters: 0 } });
  });
});
