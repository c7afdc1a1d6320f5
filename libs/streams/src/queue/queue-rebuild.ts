import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Clock, CLOCK, CommandPipeline, QueueRebuilder, QueueReconciler } from '@streamplane/core';
import { streams, StreamState } from '../domain/stream.decider';
import { StreamDirectory } from '../queries/stream-directory';
import { ProcessingQueue } from './processing-queue';
import { queueRefill } from './queue-refill';

const PAGE = 500;
const PARALLEL_LOADS = 16;

/**
 * Refills the per-workspace processing queues when Redis lost them. The read model only nominates
 * streams; each one's status, ticket and due time come from the log, so a stream that moved on
 * since the read model saw it gets no job, and the job ids are the keeper's own (`stream.<id>.<ticket>`):
 * a job Redis still holds, waiting, taken or finished, is not added again.
 */
@Injectable()
export class StreamQueueRebuild implements QueueReconciler, OnModuleInit {
  readonly name = 'stream-processing';

  constructor(
    private readonly rebuilder: QueueRebuilder,
    private readonly directory: StreamDirectory,
    private readonly pipeline: CommandPipeline,
    private readonly queue: ProcessingQueue,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.rebuilder.add(this);
  }

  async reconcile(): Promise<number> {
    let offered = 0;
    let workspace: string | undefined;
    let pending: string[] = [];
    let after: { workspace_id: string; stream_id: string } | null = null;
    for (;;) {
      const rows = await this.directory.queued(after, PAGE);
      for (const row of rows) {
        // One workspace at a time, whole, so its jobs go in in the order its streams joined.
        if (workspace !== undefined && row.workspace_id !== workspace) {
          offered += await this.refill(workspace, pending);
          pending = [];
        }
        workspace = row.workspace_id;
        pending.push(row.stream_id);
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1];
    }
    if (workspace !== undefined) offered += await this.refill(workspace, pending);
    return offered;
  }

  private async refill(workspaceId: string, streamIds: string[]): Promise<number> {
    const loaded: Array<{ streamId: string; state: StreamState }> = [];
    for (let i = 0; i < streamIds.length; i += PARALLEL_LOADS) {
      const slice = streamIds.slice(i, i + PARALLEL_LOADS);
      loaded.push(...(await Promise.all(slice.map(async (streamId) => ({ streamId, state: await this.pipeline.loadEntity(streams, streamId) })))));
    }
    const jobs = queueRefill(workspaceId, loaded, this.clock.now().getTime());
    await this.queue.enqueueAll(workspaceId, jobs);
    return jobs.length;
  }
}
