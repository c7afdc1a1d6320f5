import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, CheckpointStore, ConsumerRegistry, PG_POOL, rebuildProjection } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { startTestApp, TestApp } from './support/test-app';

describe('Replay: rebuild a read model into fresh tables and swap it in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('replay');
  });
  afterAll(() => t.close());

  const rebuild = () =>
    rebuildProjection(
      {
        pool: t.app.get<Pool>(PG_POOL),
        store: t.app.get<EventStore>(EVENT_STORE),
        checkpoints: t.app.get(CheckpointStore),
        databaseUrl: t.app.get<AppConfig>(APP_CONFIG).databaseUrl,
      },
      t.app.get(ConsumerRegistry).projections().find((p) => p.name === 'counters')!,
      { batchSize: 50 },
    );

  it('reports a live read model that drifted, repairs it, and serves reads and writes throughout', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { body } = await t.http.post('/v1/test/counters').send({ name: `c${i}` });
      ids.push(body.id);
      await t.http.post(`/v1/test/counters/${body.id}/increment`).send({ by: i + 20 });
    }
    // A bug (or a hand edit) made the live table disagree with the log.
    await t.db.pool.query('UPDATE read.counters SET total = 999 WHERE id = $1', [ids[3]]);

    let reading = true;
    const readStatuses: number[] = [];
    const reads = (async () => {
      while (reading) readStatuses.push((await t.http.get(`/v1/test/counters/${ids[0]}`)).status);
    })();
    const writes = Promise.all(ids.slice(0, 5).map((id) => t.http.post(`/v1/test/counters/${id}/increment`).send({ by: 100 })));

    const report = await rebuild();
    await writes;
    reading = false;
    await reads;

    expect(report.equal).toBe(false);
    expect(report.differences).toEqual({ counters: 2 }); // the drifted row, once on each side
    expect(report.events).toBeGreaterThanOrEqual(40);
    expect(readStatuses.length).toBeGreaterThan(0);
    expect(new Set(readStatuses)).toEqual(new Set([200]));

    expect((await t.http.get(`/v1/test/counters/${ids[3]}`)).body.total).toBe(123);
    expect((await t.http.get(`/v1/test/counters/${ids[0]}`)).body.total).toBe(120);
    expect((await t.http.get(`/v1/test/counters/${ids[10]}`)).body.total).toBe(30);

    const again = await rebuild();
    expect(again).toMatchObject({ equal: true, differences: { counters: 0 } });
    const { rows } = await t.db.pool.query(`SELECT state FROM projection_checkpoints WHERE name = 'counters'`);
    expect(rows[0].state).toBe('live');
    const schemas = await t.db.pool.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name LIKE 'rebuild_%'`);
    expect(schemas.rowCount).toBe(0);
  });
});
