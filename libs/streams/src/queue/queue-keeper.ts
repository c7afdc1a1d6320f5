import { Injectable } from '@nestjs/common';
import { ConsumerRegistry, EventConsumer, eventRouter, RecordedEventOf } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { DroppedJob, StreamEvent, streamStreams } from '../domain/stream.events';
import { ProcessingQueue } from './processing-queue';

type Recorded = RecordedEventOf<StreamEvent>;

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

  // Leave before joining: a restart drops the old ticket's job and queues the new one. Created and
  // Replaced join only when they carry a ticket (they were `pending`).
  private readonly router = eventRouter<StreamEvent>({
    StreamCreated: (event) => this.join(event, event.data.ticket),
    StreamQueued: (event) => this.join(event, event.data.ticket),
    StreamUpdated: null,
    StreamReplaced: async (event) => {
      await this.leave(event, event.data.dropped_job);
      await this.join(event, event.data.ticket);
    },
    StreamPaused: (event) => this.leave(event, event.data.dropped_job),
    StreamResumed: (event) => this.join(event, event.data.ticket),
    StreamCancelled: (event) => this.leave(event, event.data.dropped_job),
    StreamTaken: null,
    StreamHeartbeat: null,
    StreamCompleted: (event) => this.leave(event, event.data.dropped_job, true),
    StreamFailed: (event) => this.leave(event, event.data.dropped_job),
    StreamHandlerLost: (event) => this.leave(event, event.data.dropped_job),
    StreamRestartRequested: async (event) => {
      await this.leave(event, event.data.dropped_job);
      await this.join(event, event.data.ticket, event.data.delay_seconds);
    },
    StreamDeleted: (event) => this.leave(event, event.data.dropped_job),
  });
  readonly eventTypes = this.router.eventTypes;

  constructor(
    registry: ConsumerRegistry,
    private readonly queue: ProcessingQueue,
  ) {
    registry.add(this);
  }

  async process(_client: unknown, events: RecordedEvent[]): Promise<void> {
    for (const event of events) await this.router.route(event);
  }

  /** Removes the job the event took off the queue; `completed` when the handler finished it. */
  private async leave(event: Recorded, job: DroppedJob | undefined, completed = false): Promise<void> {
    if (!job) return;
    await this.queue.drop(workspaceOf(event), streamStreams.idOf(event.streamId), job.ticket, job.lease_token, event.type, completed);
  }

  private async join(event: Recorded, ticket: number | undefined, delaySeconds = 0): Promise<void> {
    if (typeof ticket !== 'number') return;
    await this.queue.enqueue({ workspace_id: workspaceOf(event), stream_id: streamStreams.idOf(event.streamId), ticket }, delaySeconds);
  }
}

const workspaceOf = (event: Recorded) => String(event.metadata.workspace_id);
