import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { jobIdFor, QueueRegistry } from '@streamplane/core';
import { ARCHIVE_QUEUE } from './fixtures/counters/counters.module';
import { eventually, startTestApp, TestApp } from './support/test-app';

// A CounterOpened of version 1 (`title`, `opened_at`) as an older release wrote it: every reader
// must see it in today's shape (`name`, `at`), through the catalogue's upcaster.
describe('Upcasting: a stored v1 event reads as today’s version everywhere', () => {
  let t: TestApp;
  const id = randomUUID();
  const eventId = randomUUID();
  beforeAll(async () => {
    t = await startTestApp('upcasting');
    await t.app.get<EventStore>(EVENT_STORE).append(
      `counter-${id}`,
      [{ eventId, type: 'CounterOpened', data: { counter_id: id, title: 'alpha', opened_at: '2025-01-01T00:00:00.000Z' }, metadata: { event_version: 1, workspace_id: 'test' } }],
      'no_stream',
    );
  });
  afterAll(() => t.close());

  it('the projection reads the name the v1 event called title', async () => {
    const counter = await eventually(async () => {
      const res = await t.http.get(`/v1/test/counters/${id}`);
      return res.status === 200 && res.body;
    });
    expect(counter).toMatchObject({ id, name: 'alpha', status: 'open', version: 1 });
  });

  it('a reactor builds its job from the upcast data', async () => {
    const queue = t.app.get(QueueRegistry).queue(ARCHIVE_QUEUE);
    const job = await eventually(() => queue.getJob(jobIdFor('counters-greeter', { eventId }, 0)));
    expect(job.data).toMatchObject({ counter_id: id, name: 'alpha' });
  });

  it('the decider folds the upcast event: renaming to the same name is refused', async () => {
    const same = await t.http.post(`/v1/test/counters/${id}/rename`).send({ name: 'alpha' }).expect(400);
    expect(same.body.detail).toMatch(/already named alpha/);
    await t.http.post(`/v1/test/counters/${id}/rename`).send({ name: 'beta' }).expect(200);
    const counter = await eventually(async () => {
      const { body } = await t.http.get(`/v1/test/counters/${id}`);
      return body.name === 'beta' && body;
    });
    expect(counter.version).toBe(2);
  });

  it('leaves the stored JSON as it was written', async () => {
    const { rows } = await t.db.pool.query('SELECT data, metadata FROM events WHERE event_id = $1', [eventId]);
    expect(rows[0].data).toEqual({ counter_id: id, title: 'alpha', opened_at: '2025-01-01T00:00:00.000Z' });
    expect(rows[0].metadata.event_version).toBe(1);
  });
});
