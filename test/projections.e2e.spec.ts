import { eventually, startTestApp, TestApp } from './support/test-app';
import { projectionBug } from './fixtures/counters/counters.projection';

describe('Projections: a poison event parks one projection, the others go on', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('projections');
  });
  afterAll(() => t.close());

  const projection = async (name: string) => {
    const res = await t.http.get('/v1/admin/projections').set(t.admin);
    return res.body.items.find((p: { name: string }) => p.name === name);
  };

  it('parks, shows it in health and admin, keeps the reactor going, and resumes once fixed', async () => {
    const poisoned = await t.http.post('/v1/test/counters').send({ name: 'poisoned' });
    const unlucky = await t.http.post(`/v1/test/counters/${poisoned.body.id}/increment`).send({ by: 13 });
    // The command itself succeeded: the log is the truth, the read model is behind.
    expect(unlucky.status).toBe(200);

    const parked = await eventually(async () => {
      const p = await projection('counters');
      return p?.state === 'parked' && p;
    });
    expect(parked).toMatchObject({ kind: 'projection', error: expect.stringContaining('unlucky increment'), failed_position: expect.stringMatching(/^\d+$/) });
    expect(parked.error).toContain('CounterIncremented');

    const health = await t.http.get('/v1/health');
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('error');
    expect(health.body.checks.projections).toMatchObject({ status: 'down', parked: [{ name: 'counters', error: expect.stringContaining('unlucky') }] });
    expect(health.body.checks.postgres.status).toBe('up');

    // The reactor is another consumer: it still turns a close into an archive job and its effect.
    const other = await t.http.post('/v1/test/counters').send({ name: 'other' });
    await t.http.post(`/v1/test/counters/${other.body.id}/close`).expect(202);
    await eventually(async () => {
      const { rows } = await t.db.pool.query(`SELECT 1 FROM events WHERE stream_id = $1 AND type = 'CounterArchived'`, [`counter-${other.body.id}`]);
      return rows.length === 1;
    });
    expect((await projection('counters-archiver')).state).toBe('live');

    // Fix the bug, resume: the projection applies the event it stopped at and catches up.
    projectionBug.unluckyNumber = -1;
    const resumed = await t.http.post('/v1/admin/projections/counters/resume').set(t.admin);
    expect(resumed.status).toBe(200);
    await eventually(async () => (await t.http.get(`/v1/test/counters/${other.body.id}`)).body.status === 'archived');
    expect((await t.http.get(`/v1/test/counters/${poisoned.body.id}`)).body.total).toBe(13);
    expect((await t.http.get('/v1/health')).status).toBe(200);
    expect((await t.http.post('/v1/admin/projections/counters/resume').set(t.admin)).status).toBe(404);
  });
});
