import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { PostgresEventStore } from '@streamplane/eventstore';
import { expectStatus } from './http';
import { HttpTenant } from './http-tenant';

/** StreamCreated events of one workspace in the log, read through the event store port. */
export interface LoggedCreations {
  /** Idempotency-Key → the stream ids created under it (more than one is a command done twice). */
  byKey: Map<string, string[]>;
  /** stream id → how many StreamCreated events it has (more than one is an event written twice). */
  byStream: Map<string, number>;
  /** Position of the last event in the log, for X-Min-Position reads. */
  head: bigint;
}

export async function loggedCreations(databaseUrl: string, workspaceId: string): Promise<LoggedCreations> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => undefined); // a test database may go away under an idle client
  const store = new PostgresEventStore(pool, databaseUrl);
  const byKey = new Map<string, string[]>();
  const byStream = new Map<string, number>();
  let head = 0n;
  try {
    for await (const event of store.readAll()) {
      head = event.position;
      if (event.type !== 'StreamCreated' || event.data.workspace_id !== workspaceId) continue;
      const streamId = String(event.data.stream_id);
      byStream.set(streamId, (byStream.get(streamId) ?? 0) + 1);
      const key = event.metadata.idempotency_key;
      if (typeof key === 'string') byKey.set(key, [...(byKey.get(key) ?? []), streamId]);
    }
  } finally {
    await store.close();
    await pool.end();
  }
  return { byKey, byStream, head };
}

/** Every stream of the workspace in the read model (all pages), once it holds `minPosition`. */
export async function readModelStreams(baseUrl: string, tenant: HttpTenant, minPosition: bigint): Promise<Array<{ stream_id: string; name: string }>> {
  const streams: Array<{ stream_id: string; name: string }> = [];
  for (let page = 1; page < 1000; page++) {
    const res = await expectStatus(baseUrl, 'GET', `${tenant.base}/streams?page=${page}&page_size=100`, 200, {
      headers: { ...tenant.owner, 'X-Min-Position': minPosition.toString() },
    });
    if (res.headers['x-consistency'] === 'stale') throw new Error(`the streams read model did not reach position ${minPosition}`);
    const body = res.body as { items: Array<{ stream_id: string; name: string }>; total: number };
    streams.push(...body.items);
    if (streams.length >= body.total || body.items.length === 0) return streams;
  }
  throw new Error('too many pages');
}

/**
 * The workspace's processing queue as BullMQ holds it: stream id → how many jobs name it, over
 * every state a job can be in. A stream on it twice is a reactor that enqueued twice.
 */
export async function queuedStreams(redisUrl: string, prefix: string, workspaceId: string): Promise<Map<string, number>> {
  const queue = new Queue(`stream-processing.${workspaceId}`, { connection: { url: redisUrl }, prefix });
  try {
    const jobs = await queue.getJobs(['wait', 'delayed', 'prioritized', 'waiting-children', 'active', 'completed', 'failed'], 0, -1);
    const counts = new Map<string, number>();
    for (const job of jobs.filter(Boolean)) {
      const streamId = (job.data as { stream_id?: string }).stream_id ?? `(job ${job.id} without stream_id)`;
      counts.set(streamId, (counts.get(streamId) ?? 0) + 1);
    }
    return counts;
  } finally {
    await queue.close();
  }
}
