import { Client } from 'pg';
import { TEST_POSTGRES_URL } from '@streamplane/testing';
import { eventually, startTestApp, TestApp } from '../support/test-app';

/**
 * Every connection the system holds is cut by the server (as in a PostgreSQL restart or a
 * failover): the process stays up, no consumer stops for good, and the read models follow the
 * log again by themselves.
 */
describe('Faults: PostgreSQL drops every connection of the system', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('conn_killed');
  });
  afterAll(() => t.close());

  /** Terminates every backend of the test database but the admin connection doing it. */
  async function killAllConnections(): Promise<number> {
    const admin = new Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      const database = new URL(t.db.url).pathname.slice(1);
      const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
      return rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }

  const counter = async (id: string) => (await t.http.get(`/v1/test/counters/${id}`)).body;

  it('keeps following the log after its connections were killed, mid-work and idle, several times', async () => {
    const opened = await t.http.post('/v1/test/counters').send({ name: 'survivor' }).expect(201);
    const id = opened.body.id as string;

    for (let round = 1; round <= 3; round++) {
      // Kill while consumers are busy (a burst of writes in flight) and while they sit idle.
      const burst = Array.from({ length: 10 }, () => t.http.post(`/v1/test/counters/${id}/increment`).send({ by: 1 }));
      expect(await killAllConnections()).toBeGreaterThan(0);
      const answers = await Promise.all(burst);
      // A write cut off by the outage says so (503 with Retry-After), never a bare 500.
      for (const answer of answers) {
        expect([200, 503]).toContain(answer.status);
        if (answer.status === 503) expect(answer.headers['retry-after']).toMatch(/^\d+$/);
      }
      const applied = answers.filter((a) => a.status === 200).length;
      const before = (await eventually(async () => {
        const c = await counter(id);
        return c?.id && c;
      })) as { total: number };

      // Written after the outage: the projection must pick it up without anyone restarting it.
      await eventually(async () => (await t.http.post(`/v1/test/counters/${id}/increment`).send({ by: 100 })).status === 200, 15_000);
      const after = await eventually(async () => {
        const c = await counter(id);
        return c.total >= before.total + 100 && c;
      }, 15_000);
      expect(after.total).toBeGreaterThanOrEqual(applied);
    }

    // The log and the read model agree: nothing lost, nothing applied twice.
    const { rows } = await t.db.pool.query<{ sum: string }>(
      `SELECT coalesce(sum((data->>'by')::int), 0) AS sum FROM events WHERE stream_id = $1 AND type = 'CounterIncremented'`,
      [`counter-${id}`],
    );
    await eventually(async () => (await counter(id)).total === Number(rows[0].sum), 15_000);

    const health = await eventually(async () => {
      const res = await t.http.get('/v1/health');
      return res.status === 200 && res;
    }, 15_000);
    expect(health.body.checks.projections.status).toBe('up');
  });
});
