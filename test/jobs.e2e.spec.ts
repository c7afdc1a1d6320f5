import { Queue } from 'bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { jobIdFor, ProcessorRegistry, QueueRegistry, runJobCommands } from '@streamplane/core';
import { ChangeCounter } from './fixtures/counters/counter.commands';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { ARCHIVE_QUEUE } from './fixtures/counters/counters.module';

describe('Jobs: reactors enqueue once per event, processors have one effect per job', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('jobs');
  });
  afterAll(() => t.close());

  const eventsOf = async (counterId: string, type: string) =>
    (await t.db.pool.query('SELECT event_id FROM events WHERE stream_id = $1 AND type = $2', [`counter-${counterId}`, type])).rows;

  async function closedCounter() {
    const { body } = await t.http.post('/v1/test/counters').send({ name: 'to-archive' });
    await t.http.post(`/v1/test/counters/${body.id}/close`).expect(202);
    const [closed] = await eventsOf(body.id, 'CounterClosed');
    return { id: body.id as string, closedEventId: closed.event_id as string };
  }

  it('gives the job a deterministic id from the event and archives the counter once', async () => {
    const { id, closedEventId } = await closedCounter();
    const queue = t.app.get(QueueRegistry).queue(ARCHIVE_QUEUE);
    const job = await eventually(async () => queue.getJob(jobIdFor('counters-archiver', { eventId: closedEventId }, 0)));
    expect(job.data).toMatchObject({ counter_id: id, event_id: closedEventId });
    await eventually(async () => (await eventsOf(id, 'CounterArchived')).length === 1);
  });

  it('a job run twice (a stalled job handed to another worker) has its effect once', async () => {
    const { id, closedEventId } = await closedCounter();
    const queue = t.app.get(QueueRegistry).queue(ARCHIVE_QUEUE);
    const job = await eventually(async () => {
      const found = await queue.getJob(jobIdFor('counters-archiver', { eventId: closedEventId }, 0));
      return found && (await found.isCompleted()) && found;
    });
    const processor = t.app.get(ProcessorRegistry).all().find((p) => p.queue === ARCHIVE_QUEUE)!;
    await processor.process(job);
    await processor.process(job);
    const archived = await eventsOf(id, 'CounterArchived');
    expect(archived).toHaveLength(1);
    const { rows } = await t.db.pool.query(`SELECT metadata FROM events WHERE event_id = $1`, [archived[0].event_id]);
    expect(rows[0].metadata).toMatchObject({ actor: { type: 'worker', id: ARCHIVE_QUEUE }, $causationId: closedEventId, idempotency_key: `job:${job.id}` });
  });

  it('a job whose command is not idempotent by nature still counts once when run twice', async () => {
    const { body } = await t.http.post('/v1/test/counters').send({ name: 'job-increments' });
    const commands = t.app.get(CommandBus);
    const job = { id: 'bonus-42', queueName: 'bonus', data: {} };
    const increment = () => commands.execute(new ChangeCounter(body.id, { type: 'IncrementCounter', by: 7 }));
    await runJobCommands(job, increment);
    await runJobCommands(job, increment);
    expect(await eventsOf(body.id, 'CounterIncremented')).toHaveLength(1);
    // Another job is another effect.
    await runJobCommands({ ...job, id: 'bonus-43' }, increment);
    expect(await eventsOf(body.id, 'CounterIncremented')).toHaveLength(2);
  });

  it('a replayed event (reactor restarted behind its checkpoint) enqueues no second job', async () => {
    const { closedEventId } = await closedCounter();
    const queue = t.app.get(QueueRegistry).queue(ARCHIVE_QUEUE);
    await eventually(async () => queue.getJob(jobIdFor('counters-archiver', { eventId: closedEventId }, 0)));
    const before = await countJobs(queue);

    // As if the process died after enqueueing but before the checkpoint moved: wind it back, restart.
    await t.stop();
    await t.db.pool.query(`UPDATE projection_checkpoints SET position = 0 WHERE name = 'counters-archiver'`);
    t = await startTestApp('jobs', { reuse: t });
    await eventually(async () => {
      const { rows } = await t.db.pool.query(`SELECT position FROM projection_checkpoints WHERE name = 'counters-archiver'`);
      const { rows: head } = await t.db.pool.query('SELECT max(position) AS p FROM events');
      return rows[0].position === head[0].p;
    });
    const after = await countJobs(t.app.get(QueueRegistry).queue(ARCHIVE_QUEUE));
    expect(after).toBe(before);
    expect(before).toBeGreaterThanOrEqual(3);
  });
});

async function countJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
