import { Injectable } from '@nestjs/common';
import { ConsumerRegistry, EventConsumer } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { DroppedJob } from '../domain/stream.decider';
import { ProcessingQueue } from './processing-queue';

// Created and Replaced join only when they carry a ticket (they were `pending`).
const JOINS_QUEUE = ['StreamCreated', 'StreamReplaced', 'StreamQueued', 'StreamResumed', 'StreamRestartRequested'];
const LEAVES_QUEUE = ['StreamReplaced', 'StreamPaused', 'StreamCancelled', 'StreamCompleted', 'StreamFailed', 'StreamHandlerLost', 'StreamRestartRequested', 'StreamDeleted'];

/**
 * Keeps the BullMQ queue in step with the log, from its own checkpoint: a stream that joins the
 * queue gets a job (id from stream and ticket, so a replayed event adds nothing), and one that
 * leaves it — paused, cancelled, finished, lost, deleted — has its job removed. Commands of the
 * streams context wait for it as for a projection, so a created stream is takeable at once.
 */
@Injectable()
export class QueueKeeper implements EventConsumer {
  readonly name = 'stream-queue-keeper';
  readonly kind = 'reactor' as const;
  readonly context = 'streams';
  readonly eventTypes = [...new Set([...JOINS_QUEUE, ...LEAVES_QUEUE])];

  constructor(
    registry: ConsumerRegistry,
    private readonly queue: ProcessingQueue,
  ) {
    registry.add(this);
  }

  async process(_client: unknown, events: RecordedEvent[]): Promise<void> {
    for (const event of events) {
      const streamId = event.streamId.slice('stream-'.length);
      const workspaceId = String(event.metadata.workspace_id);
      const d = event.data as { dropped_job?: DroppedJob; ticket?: number; delay_seconds?: number };
      // Leave before joining: a restart drops the old ticket's job and queues the new one.
      if (d.dropped_job) {
        await this.queue.drop(workspaceId, streamId, d.dropped_job.ticket, d.dropped_job.lease_token, event.type, event.type === 'StreamCompleted');
      }
      if (JOINS_QUEUE.includes(event.type) && typeof d.ticket === 'number') {
        await this.queue.enqueue({ workspace_id: workspaceId, stream_id: streamId, ticket: d.ticket }, d.delay_seconds ?? 0);
      }
    }
  }
}
