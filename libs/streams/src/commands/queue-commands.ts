import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig, CommandPipeline, DomainError, inLanes, InvalidStateError, NotFoundError, Untimed } from '@streamplane/core';
import { JsonObject } from '@streamplane/core/domain';
import { StreamCommand, streams } from '../domain/stream.decider';
import { ProcessingQueue, QueueEntry } from '../queue/processing-queue';
import { GroupDirectory } from '../queries/group-directory';
import { StreamDirectory } from '../queries/stream-directory';

/** A take's filters: a stream must match every one given. */
export interface TakeCriteria {
  stream_ids?: string[];
  names?: string[];
  group_names?: string[];
}

export class TakeStreams extends Command<string[]> {
  constructor(
    readonly workspaceId: string,
    readonly limit: number,
    readonly filters: TakeCriteria = {},
  ) {
    super();
  }
}

/**
 * Takes up to `limit` waiting streams in queue order. BullMQ hands each job to one taker only;
 * the StreamTaken event then records the lease. A job whose stream moved on since it was queued
 * (paused, replaced, deleted) is stale: it is finished and the take goes on to the next.
 */
@CommandHandler(TakeStreams)
export class TakeStreamsHandler implements ICommandHandler<TakeStreams> {
  constructor(
    private readonly queue: ProcessingQueue,
    private readonly pipeline: CommandPipeline,
    private readonly directory: StreamDirectory,
    private readonly groups: GroupDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ workspaceId, limit, filters }: TakeStreams): Promise<string[]> {
    const taken: string[] = [];
    await this.queue.take(workspaceId, limit, async (entry, leaseToken) => {
      if (!(await this.matches(workspaceId, entry, filters))) return 'skip';
      try {
        await this.pipeline.decide(streams, entry.stream_id, { type: 'Take', ticket: entry.ticket, leaseToken, leaseSeconds: this.config.streamLeaseSeconds }, { workspaceId });
      } catch (error) {
        if (error instanceof InvalidStateError || error instanceof NotFoundError) return 'stale';
        throw error;
      }
      taken.push(entry.stream_id);
      return 'taken';
    });
    return taken;
  }

  private async matches(workspaceId: string, entry: QueueEntry, filters: TakeCriteria): Promise<boolean> {
    if (filters.stream_ids?.length && !filters.stream_ids.includes(entry.stream_id)) return false;
    if (filters.names?.length) {
      const [view] = await this.directory.byIds(workspaceId, [entry.stream_id]);
      if (!view || !filters.names.includes(view.name)) return false;
    }
    if (filters.group_names?.length) {
      const inGroups = await this.groups.streamsInGroups(workspaceId, [entry.stream_id], filters.group_names);
      if (!inGroups.has(entry.stream_id)) return false;
    }
    return true;
  }
}

export const FEEDBACK_STATUSES = ['in_progress', 'done', 'failure', 'restart'] as const;

/** One handler's word on one stream it holds; `in_progress` is a heartbeat. */
export interface Feedback {
  stream_id: string;
  status: (typeof FEEDBACK_STATUSES)[number];
  error?: string;
  video_info?: JsonObject;
}

export interface FeedbackOutcome {
  stream_id: string;
  accepted: boolean;
  /** Luna's `not_found`: the stream is gone (deleted, maybe while this handler held it); stop working on it. */
  status?: 'not_found';
  detail?: string;
}

export class PostFeedback extends Command<FeedbackOutcome[]> {
  constructor(
    readonly workspaceId: string,
    readonly items: Feedback[],
  ) {
    super();
  }
}

const FEEDBACK_CONCURRENCY = 16;

/** Each item is judged alone: one stream's refusal (not taken, lease gone) does not fail the others. */
@CommandHandler(PostFeedback)
export class PostFeedbackHandler implements ICommandHandler<PostFeedback> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ workspaceId, items }: PostFeedback): Promise<FeedbackOutcome[]> {
    return inLanes(items, FEEDBACK_CONCURRENCY, (item) => this.apply(workspaceId, item));
  }

  private async apply(workspaceId: string, item: Feedback): Promise<FeedbackOutcome> {
    try {
      await this.pipeline.decide(streams, item.stream_id, commandOf(item), { workspaceId });
      return { stream_id: item.stream_id, accepted: true };
    } catch (error) {
      if (error instanceof NotFoundError) return { stream_id: item.stream_id, accepted: false, status: 'not_found', detail: error.message };
      if (error instanceof DomainError) return { stream_id: item.stream_id, accepted: false, detail: error.message };
      throw error;
    }
  }
}

/** The stream command a handler's feedback asks for. */
function commandOf(item: Feedback): Untimed<StreamCommand> {
  const videoInfo = item.video_info ?? null;
  switch (item.status) {
    case 'in_progress':
      return { type: 'Heartbeat' };
    case 'done':
      return { type: 'Complete', videoInfo };
    case 'failure':
      return { type: 'Fail', error: item.error ?? 'the handler reported a failure', videoInfo };
    case 'restart':
      return { type: 'RequestRestart' };
  }
}
