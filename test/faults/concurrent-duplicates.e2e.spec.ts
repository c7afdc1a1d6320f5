import { eventually, startTestApp, TestApp } from '../support/test-app';
import { PASSWORD } from '../support/users';
import { tenant, Tenant } from '../support/workspaces';

const RACERS = 8;

/**
 * Unique values claimed by many requests at once: exactly one wins, the others get 409, and no
 * projection parks on a duplicate (which would take /v1/health and every later read down).
 */
describe('Faults: concurrent duplicates of every unique thing', () => {
  let t: TestApp;
  let ws: Tenant;
  beforeAll(async () => {
    t = await startTestApp('duplicates');
    ws = await tenant(t, 'dup');
  });
  afterAll(() => t.close());

  function expectOneWinner(statuses: number[], success: number): void {
    expect(statuses.filter((s) => s === success)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(statuses.length - 1);
  }

  async function expectHealthy(): Promise<void> {
    // Wait until every consumer has either passed the head or parked, then ask.
    const head = BigInt((await t.db.pool.query(`SELECT max(position) AS p FROM events`)).rows[0].p);
    await eventually(async () => {
      const { rows } = await t.db.pool.query<{ position: string; state: string }>('SELECT position, state FROM projection_checkpoints');
      return rows.every((r) => r.state === 'parked' || BigInt(r.position) >= head);
    });
    const health = await t.http.get('/v1/health');
    expect(health.body.checks.projections).toMatchObject({ status: 'up' });
    expect(health.status).toBe(200);
  }

  it('signs up one account per email', async () => {
    const email = `racer.${Date.now()}@example.com`;
    const answers = await Promise.all(Array.from({ length: RACERS }, () => t.http.post('/v1/auth/sign-up').send({ email, password: PASSWORD })));
    expectOneWinner(
      answers.map((a) => a.status),
      201,
    );
    const winner = answers.find((a) => a.status === 201)!;
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM events WHERE type = 'UserRegistered' AND stream_id = $1`, [`user-${winner.body.id}`]);
    expect(rows[0].n).toBe(1);
    const losers = answers.filter((a) => a.status === 409);
    for (const loser of losers) expect(loser.headers['content-type']).toContain('application/problem+json');
    await expectHealthy();
  });

  it('creates one group per name in a workspace', async () => {
    const answers = await Promise.all(Array.from({ length: RACERS }, () => t.http.post(`${ws.base}/groups`).set(ws.owner.headers).send({ group_name: 'racing' })));
    expectOneWinner(
      answers.map((a) => a.status),
      201,
    );
    const listed = await t.http.get(`${ws.base}/groups`).query({ group_names: 'racing' }).set(ws.owner.headers).expect(200);
    expect(listed.body.total).toBe(1);
    await expectHealthy();
  });

  it('creates one webhook per name in a workspace', async () => {
    const body = { name: 'racing-hook', url: 'https://203.0.113.7/streamplane' }; // a public address (no DNS lookup in tests); deliveries to it only fail and retry
    const answers = await Promise.all(Array.from({ length: RACERS }, () => t.http.post(`${ws.base}/webhooks`).set(ws.owner.headers).send(body)));
    expectOneWinner(
      answers.map((a) => a.status),
      201,
    );
    const listed = await t.http.get(`${ws.base}/webhooks`).set(ws.owner.headers).expect(200);
    expect(listed.body.items.filter((w: { name: string }) => w.name === 'racing-hook')).toHaveLength(1);
    await expectHealthy();
  });

  it('gives a routing key to one instance, and the losers their slots back', async () => {
    const cluster = await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'race', image_version: '1.0.0' }).expect(201);
    const racers = 5; // the default instance limit: every racer can get a slot, only one the key
    const answers = await Promise.all(
      Array.from({ length: racers }, () => t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: cluster.body.id, routing_key: 'race-key' })),
    );
    expectOneWinner(
      answers.map((a) => a.status),
      202,
    );
    // The losers held slots for a moment; had they kept them, the workspace would be full now.
    const another = await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: cluster.body.id, routing_key: 'other-key' });
    expect(another.status).toBe(202);
    await eventually(async () => (await t.http.get(`${ws.base}/instances`).set(ws.owner.headers)).body.total === 2);
    await expectHealthy();
  });
});
