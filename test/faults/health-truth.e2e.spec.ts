import { eventually, startTestApp, TestApp } from '../support/test-app';

interface ConsumerProblem {
  name: string;
  problem: string;
}

/** /v1/health is not ok while a consumer is failing or far behind the log, and is ok again once it recovers. */
describe('Faults: /v1/health tells the truth about consumers', () => {
  describe('with nobody following the log', () => {
    let t: TestApp;
    beforeAll(async () => {
      // The api role alone: nothing moves the checkpoints, as when every projector process is gone.
      t = await startTestApp('health_lag', { env: { ROLES: 'api', READ_YOUR_WRITES_TIMEOUT_MS: '0' } });
    });
    afterAll(() => t.close());

    it('is ok while the unhandled events are fresh, and 503 naming the laggards once they are over 30 s old', async () => {
      await t.http.post('/v1/test/counters').send({ name: 'waiting' }).expect(201);
      const fresh = await t.http.get('/v1/health');
      expect(fresh.status).toBe(200);

      await t.db.pool.query(`UPDATE events SET recorded_at = recorded_at - interval '45 seconds'`);
      const stale = await t.http.get('/v1/health');
      expect(stale.status).toBe(503);
      expect(stale.headers['retry-after']).toMatch(/^\d+$/);
      const problems: ConsumerProblem[] = stale.body.checks.projections.problems;
      expect(problems.map((p) => p.name)).toContain('counters');
      expect(problems.every((p) => p.problem === 'lagging')).toBe(true);
      expect(stale.body.checks.postgres.status).toBe('up');
    });
  });

  describe('with a consumer whose every step fails', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp('health_failing');
    });
    afterAll(() => t.close());

    it('says so while it fails, and the consumers follow the log again by themselves once the fault is gone', async () => {
      const counter = await t.http.post('/v1/test/counters').send({ name: 'blocked' }).expect(201);
      // Not an outage, not a poison event: the runners' own table is gone, so every loop fails.
      await t.db.pool.query('ALTER TABLE projection_checkpoints RENAME TO projection_checkpoints_away');
      const failing = await eventually(async () => {
        const res = await t.http.get('/v1/health');
        return res.status === 503 && res;
      });
      expect(failing.body.checks.projections.status).toBe('down');

      await t.db.pool.query('ALTER TABLE projection_checkpoints_away RENAME TO projection_checkpoints');
      await t.http.post(`/v1/test/counters/${counter.body.id}/increment`).send({ by: 5 }).expect(200);
      await eventually(async () => (await t.http.get(`/v1/test/counters/${counter.body.id}`)).body.total === 5, 15_000);
      await eventually(async () => (await t.http.get('/v1/health')).status === 200, 15_000);
    });
  });
});
