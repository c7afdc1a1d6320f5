import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig, QueueRegistry } from '@streamplane/core';
import { takerConnection, withoutBlockingConnection } from './taker-connection';

export interface QueueEntry {
  workspace_id: string;
  stream_id: string;
  ticket: number;
}

/** A job taken off the queue, locked for us by BullMQ until we finish it or the lock runs out. */
export interface TakenJob {
  entry: QueueEntry;
  leaseToken: string;
}

/** How far one take looks down the queue for entries its filters accept. */
export const TAKE_SCAN_LIMIT = 1000;
const IDLE_WORKER_MS = 60_000;

/**
 * The stream-processing queue on BullMQ: one queue per workspace (`stream-processing.<id>`), so a
 * taker only ever meets its own workspace's streams, and one job per time a stream joins the queue
 * (`stream.<id>.<ticket>`), so a replayed event cannot queue it twice.
 *
 * Taking uses BullMQ's manual job fetching: `getNextJob` moves the next waiting job to active under
 * a lock in one atomic step, which is what guarantees that two concurrent takers never receive the
 * same stream. Nothing here is a lock of our own.
 */
@Injectable()
export class ProcessingQueue implements OnModuleDestroy {
  private readonly logger = new Logger('streams');
  private readonly takers = new Map<string, { worker: Worker; lastUsed: number }>();
  /** Shared by every taker, so the Redis connections do not grow with the number of workspaces. */
  private connection?: IORedis;
  private readonly reaper = setInterval(() => void this.closeIdleTakers(), IDLE_WORKER_MS).unref();

  constructor(
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  static queueName(workspaceId: string): string {
    return `stream-processing.${workspaceId}`;
  }

  static jobId(streamId: string, ticket: number): string {
    return `stream.${streamId}.${ticket}`;
  }

  queue(workspaceId: string): Queue {
    return this.queues.queue(ProcessingQueue.queueName(workspaceId));
  }

  async enqueue(entry: QueueEntry, delaySeconds: number): Promise<void> {
    await this.enqueueAll(entry.workspace_id, [{ entry, delayMs: delaySeconds * 1000 }]);
  }

  /**
   * Adds entries of one workspace in this order, each under its `stream.<id>.<ticket>` id: BullMQ
   * ignores an id it already holds (waiting, taken or finished), so adding again adds nothing.
   */
  async enqueueAll(workspaceId: string, entries: Array<{ entry: QueueEntry; delayMs: number }>): Promise<void> {
    if (!entries.length) return;
    await this.queue(workspaceId).addBulk(
      entries.map(({ entry, delayMs }) => ({ name: 'process', data: entry, opts: { jobId: ProcessingQueue.jobId(entry.stream_id, entry.ticket), delay: Math.max(0, Math.round(delayMs)), attempts: 1 } })),
    );
  }

  /**
   * Waiting entries in the order takers will get them, without taking them. A delayed job whose
   * time has come counts as waiting: BullMQ only moves it to the wait list when the next take
   * fetches, and then behind those already waiting, earliest due first — so it is listed there.
   */
  async peek(workspaceId: string, max = TAKE_SCAN_LIMIT): Promise<QueueEntry[]> {
    const queue = this.queue(workspaceId);
    const waiting = (await queue.getJobs(['wait'], 0, max - 1, true)).filter(Boolean);
    const room = max - waiting.length;
    const due = room > 0 ? await this.dueDelayed(queue, room) : [];
    return [...waiting, ...due].map((job) => job.data as QueueEntry);
  }

  /** Delayed jobs due now, earliest first: the order BullMQ will promote them in (the delayed set is sorted by due time). */
  private async dueDelayed(queue: Queue, max: number) {
    const due = Math.min(max, await queue.getDelayedCount(Date.now() + 1));
    return due > 0 ? (await queue.getJobs(['delayed'], 0, due - 1, true)).filter(Boolean) : [];
  }

  /**
   * Takes waiting entries in queue order while `accept` wants them, up to `limit`. Entries it
   * passes over go back to the head of the queue in their old order when the take ends.
   */
  async take(workspaceId: string, limit: number, accept: (entry: QueueEntry, leaseToken: string) => Promise<'taken' | 'skip' | 'stale'>): Promise<number> {
    const worker = this.taker(workspaceId);
    const passedOver: Array<{ job: Job; token: string }> = [];
    let taken = 0;
    try {
      for (let scanned = 0; taken < limit && scanned < TAKE_SCAN_LIMIT; scanned++) {
        const token = randomUUID();
        // Never block: the takers share one connection and have no blocking one (taker-connection.ts).
        const job = (await worker.getNextJob(token, { block: false })) as Job | undefined;
        if (!job) break;
        const verdict = await accept(job.data as QueueEntry, token).catch((error: unknown) => {
          passedOver.push({ job, token });
          throw error;
        });
        if (verdict === 'taken') taken++;
        else if (verdict === 'skip') passedOver.push({ job, token });
        else await this.finish(job, token, 'stale: the stream changed since it was queued', false);
      }
    } finally {
      // moveToWait pushes to the head of the line: the last one first restores the old order.
      for (const { job, token } of passedOver.reverse()) await job.moveToWait(token).catch((error: unknown) => this.logger.warn(`could not put ${job.id} back: ${String(error)}`));
    }
    return taken;
  }

  /** Ends a queue job, whatever state it is in; a job already gone is fine. */
  async drop(workspaceId: string, streamId: string, ticket: number, leaseToken: string | null, reason: string, completed: boolean): Promise<void> {
    const job = await this.queue(workspaceId).getJob(ProcessingQueue.jobId(streamId, ticket));
    if (!job) return;
    const state = await job.getState();
    if (state === 'completed' || state === 'failed' || state === 'unknown') return;
    if (state === 'active' && leaseToken) {
      if (await this.finish(job, leaseToken, reason, completed)) return;
    }
    // Waiting or delayed, or active with a lock that ran out: nobody holds it, so it can go.
    await job.remove().catch((error: unknown) => this.logger.warn(`could not remove ${job.id}: ${String(error)}`));
  }

  private async finish(job: Job, token: string, reason: string, completed: boolean): Promise<boolean> {
    try {
      if (completed) await job.moveToCompleted({ reason }, token, false);
      else await job.moveToFailed(new Error(reason), token, false);
      return true;
    } catch {
      return false; // the lock is gone (the lease outlived BullMQ's lock); the caller removes the job
    }
  }

  /**
   * A manual-fetching BullMQ worker per workspace queue, created on first take and closed when
   * idle. It holds no connection of its own: all of them send on the one shared connection, which
   * closing a worker leaves open (BullMQ only closes connections it created).
   */
  private taker(workspaceId: string): Worker {
    const existing = this.takers.get(workspaceId);
    if (existing) {
      existing.lastUsed = Date.now();
      return existing.worker;
    }
    this.connection ??= takerConnection(this.config.redisUrl, this.logger);
    const worker = new Worker(ProcessingQueue.queueName(workspaceId), null, {
      connection: this.connection,
      prefix: this.config.queuePrefix,
      autorun: false,
      // The lease is ours (decided from the log, renewed by recorded heartbeats); BullMQ's lock
      // only has to outlive the take. Its own stall checks would move our taken jobs back.
      lockDuration: this.config.streamLeaseSeconds * 1000,
      skipStalledCheck: true,
      skipLockRenewal: true,
    }, withoutBlockingConnection);
    worker.on('error', (error) => this.logger.warn(`queue taker for ${workspaceId}: ${error.message}`));
    this.takers.set(workspaceId, { worker, lastUsed: Date.now() });
    return worker;
  }

  private async closeIdleTakers(): Promise<void> {
    const now = Date.now();
    for (const [workspaceId, { worker, lastUsed }] of this.takers) {
      if (now - lastUsed < IDLE_WORKER_MS) continue;
      this.takers.delete(workspaceId);
      await worker.close(true).catch(() => undefined);
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.reaper);
    await Promise.all([...this.takers.values()].map(({ worker }) => worker.close(true).catch(() => undefined)));
    this.takers.clear();
    this.connection?.disconnect();
  }
}
