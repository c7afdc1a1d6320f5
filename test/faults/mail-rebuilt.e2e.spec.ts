import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { jobIdFor, QueueRebuilder, QueueRegistry } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { MAIL_QUEUE, MAIL_REACTOR } from '@streamplane/identity/mail/mail-reactor';
import { eventually, startTestApp, TestApp } from '../support/test-app';
import { PASSWORD } from '../support/users';
import { PrivateRedis } from '../support/private-redis';

describe('Redis emptied: mails that waited come back from the log, and only those', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    // No worker role: the reactor enqueues the mail jobs and nobody takes them, so they wait.
    t = await startTestApp('mail_rebuilt', { env: { REDIS_URL: redis.url, ROLES: 'api,projector' } });
  }, 60_000);
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await t?.close();
    await redis?.kill();
  });

  const mailsTo = async (email: string) => (await t.http.get('/v1/admin/mail').query({ to: email }).set(t.admin).expect(200)).body.items as Array<{ subject: string }>;
  const mailQueue = () => t.app.get(QueueRegistry).queue(MAIL_QUEUE);
  const jobIds = async () => (await mailQueue().getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).map((job) => job.id).sort();

  /** Waits for a rebuild to set the sentinel again; `remove` takes it away first, as Redis losing it would. */
  async function rebuilt(remove: boolean): Promise<void> {
    const sentinel = t.app.get(QueueRebuilder).sentinelKey();
    const direct = new IORedis(redis.url);
    try {
      if (remove) await direct.del(sentinel);
      await eventually(async () => (await direct.exists(sentinel)) === 1, 30_000);
    } finally {
      direct.disconnect();
    }
  }

  /**
   * The worker role as a process of its own: a second Nest app in this process would take over the
   * first one's passport strategies (passport is a module singleton).
   */
  async function startWorker(): Promise<ChildProcess> {
    const child = fork(join(__dirname, '..', 'support', 'role-process.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: { ...process.env, ROLES: 'worker', DATABASE_URL: t.config.databaseUrl, QUEUE_PREFIX: t.config.queuePrefix, REDIS_URL: redis.url, LOG_LEVEL: 'silent', TS_NODE_PROJECT: 'tsconfig.json' },
      stdio: 'ignore',
    });
    await once(child, 'message');
    return child;
  }

  async function emptyRedis(): Promise<void> {
    await redis.kill();
    await redis.start();
    await rebuilt(false);
  }

  it('re-adds the waiting verification mail under its own id, sends it once, and offers nothing once it is sent', async () => {
    const email = `rebuilt.${Date.now()}@example.com`;
    const { id } = (await t.http.post('/v1/auth/sign-up').send({ email, password: PASSWORD }).expect(201)).body;
    let asked;
    for await (const event of t.app.get<EventStore>(EVENT_STORE).readStream(`user-${id}`)) if (event.type === 'VerificationEmailSent') asked = event;
    expect(asked).toBeDefined();
    const jobId = jobIdFor(MAIL_REACTOR, asked!, 0);
    await eventually(async () => (await mailQueue().getJobState(jobId)) === 'waiting', 20_000);
    const before = await jobIds();
    expect(before).toContain(jobId);
    expect(await mailsTo(email)).toEqual([]);

    // Redis loses the job; the rebuild puts it back (and every other waiting mail), under the same ids.
    await emptyRedis();
    expect(await mailQueue().getJobState(jobId)).toBe('waiting');
    expect(await jobIds()).toEqual(before);

    // A second rebuild over a Redis that kept its jobs adds none.
    await rebuilt(true);
    expect(await jobIds()).toEqual(before);
    expect(await mailQueue().getWaitingCount()).toBe(before.length);

    // A worker comes: the mail arrives, once.
    worker = await startWorker();
    await eventually(async () => (await mailsTo(email)).length > 0, 20_000);
    await eventually(async () => (await mailQueue().getJobState(jobId)) === 'completed', 20_000);
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toMatch(/verify/i);

    // Redis emptied again, with no worker to take a job offered by mistake: the mail is known sent
    // without Redis, so nothing is offered for it.
    const exited = once(worker, 'exit');
    worker.kill('SIGKILL');
    await exited;
    worker = undefined;
    await emptyRedis();
    expect(await mailQueue().getJobState(jobId)).toBe('unknown');
    expect(await jobIds()).toEqual([]);
    expect(await mailsTo(email)).toHaveLength(1);
  }, 120_000);
});
