import { randomBytes } from 'node:crypto';
import { DynamicModule, Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import IORedis from 'ioredis';
import request from 'supertest';
import { AppConfig, ConsistencyService, loadConfig } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { createTestDatabase, TestDatabase } from '@streamplane/testing';
import { createApp } from '../../apps/streamplane/src/start';
import { CountersModule } from '../fixtures/counters/counters.module';
import { recordRoutes } from './routes';

export const TEST_ADMIN = { email: 'admin@streamplane.test', password: 'admin-password-123' };

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  db: TestDatabase;
  config: AppConfig;
  /** Authorization header of the bootstrapped platform admin. */
  admin: { Authorization: string };
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** The whole product (all roles, plus the counters fixture) on its own database and queue prefix. */
export async function startTestApp(
  label: string,
  options: { modules?: Array<Type | DynamicModule>; env?: Record<string, string>; reuse?: TestApp } = {},
): Promise<TestApp> {
  // `reuse`: a second app on the same database and queues, as after a restart.
  const db = options.reuse?.db ?? (await createTestDatabase(label));
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: db.url,
    QUEUE_PREFIX: options.reuse?.config.queuePrefix ?? `test_${label}_${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    BOOTSTRAP_ADMIN_EMAIL: TEST_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: TEST_ADMIN.password,
    // Every test talks from 127.0.0.1: the global rate limits are out of the way unless a test sets them.
    RATE_LIMIT_PER_ADDRESS: '10000000',
    RATE_LIMIT_PER_PRINCIPAL: '10000000',
    SIGN_UP_LIMIT_PER_HOUR: '10000000',
    INVITATION_LIMIT_PER_HOUR: '10000000',
    ...options.env,
  });
  const app = await createApp(config, options.modules ?? [CountersModule]);
  let admin: { Authorization: string };
  recordRoutes(app);
  const http = request(app.getHttpServer());
  try {
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const withProjector = options.env?.ROLES === undefined || options.env.ROLES.includes('projector');
    if (withProjector) {
      // Sign in only once the bootstrapped admin is in the read model: failed sign-ins count
      // against the account (5 lock it for 15 minutes), so polling too early would lock it out.
      const head = await app.get<EventStore>(EVENT_STORE).headPosition();
      // On a loaded machine this can take a while; signing in before it would count failures.
      if (!(await app.get(ConsistencyService).waitFor(head, undefined, 90_000))) throw new Error(`the consumers did not reach position ${head} (the bootstrap events) within 90 s`);
    }
    admin = withProjector ? await signIn(http, TEST_ADMIN, 30_000) : { Authorization: '' };
  } catch (error) {
    // A half-started app keeps pools and timers open, and jest would never exit.
    await app.close().catch(() => undefined);
    throw error;
  }
  return {
    app,
    http,
    admin,
    db,
    config,
    /** Stops the app but keeps its database and queues, for a restart with `reuse`. */
    async stop() {
      await app.close();
    },
    async close() {
      // Instances outlive the app by design; a test run must not leave any behind, pass or fail.
      await app.get(LocalProvisioner).stopAll();
      await app.close();
      await db.drop();
      await dropQueues(config);
    },
  };
}

/** Signs in (waiting for the account to reach the read model) and returns the Authorization header. */
export async function signIn(http: ReturnType<typeof request>, credentials: { email: string; password: string }, timeoutMs = 20_000): Promise<{ Authorization: string }> {
  const failures: string[] = [];
  const res = await eventually(async () => {
    const attempt = await http.post('/v1/auth/sign-in').send(credentials);
    if (attempt.status === 200) return attempt;
    failures.push(`${attempt.status} ${attempt.body?.detail ?? attempt.text.slice(0, 80)}`);
    // Failed attempts count against the account: go slowly, and wait out a slowdown rather than give up.
    const retryAfter = attempt.status === 429 ? Math.min(Number(attempt.headers['retry-after'] ?? 1), 5) * 1000 : 200;
    await new Promise((resolve) => setTimeout(resolve, retryAfter));
    return false;
  }, timeoutMs).catch(() => {
    throw new Error(`sign-in of ${credentials.email} did not succeed within ${timeoutMs} ms; answers: ${failures.join('; ')}`);
  });
  return { Authorization: `Bearer ${res.body.token}` };
}

/** Removes every Redis key of the test's queue prefix. */
export async function dropQueues(config: AppConfig): Promise<void> {
  const redis = new IORedis(config.redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.queuePrefix}:*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
