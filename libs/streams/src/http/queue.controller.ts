import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ConsistencyService, objectSchema, ReadModels } from '@streamplane/core';
import { JsonObject } from '@streamplane/core/domain';
import { CurrentWorkspace, RequireRole, ServiceScoped, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { Feedback, PostFeedback, TakeStreams } from '../commands/queue-commands';
import { ProcessingQueue } from '../queue/processing-queue';
import { StreamDirectory } from '../queries/stream-directory';
import { FeedbackBody, FeedbackItem, FeedbackResponse, QueuePeekQuery, TakeBody } from './queue.dto';
import { StreamResponse } from './stream.dto';

const STREAM_ITEMS = objectSchema({ items: { type: 'array', items: { $ref: getSchemaPath(StreamResponse) } } });

@ApiTags('queue')
@ApiExtraModels(StreamResponse)
@ReadModels('streams')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/queue')
export class QueueController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queue: ProcessingQueue,
    private readonly streams: StreamDirectory,
    private readonly consistency: ConsistencyService,
  ) {}

  @Get()
  @ApiOkResponse({ schema: STREAM_ITEMS, description: 'streams waiting in the queue, in the order takers will get them; nothing is taken' })
  async peek(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: QueuePeekQuery) {
    const entries = await this.queue.peek(workspace.id);
    const views = await this.streams.byIds(workspace.id, entries.map((e) => e.stream_id));
    const items = views
      .filter((view) => !query.stream_ids?.length || query.stream_ids.includes(view.stream_id))
      .filter((view) => !query.names?.length || query.names.includes(view.name))
      .slice(0, query.limit ?? 10);
    return { items };
  }

  @Post('take')
  @ServiceScoped('streams:handle')
  @HttpCode(200)
  @RequireRole('member')
  @ApiOkResponse({ schema: STREAM_ITEMS, description: 'the streams taken: each is in_progress and out of the queue, held for the lease' })
  async take(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: TakeBody) {
    const { stream_ids, names, group_names } = body.filters ?? {};
    const ids = await this.commands.execute(new TakeStreams(workspace.id, body.limit, { stream_ids, names, group_names }));
    await this.consistency.waitForOwnWrites(['streams']);
    return { items: await this.streams.byIds(workspace.id, ids) };
  }

  @Post('feedback')
  @ServiceScoped('streams:handle')
  @HttpCode(200)
  @RequireRole('member')
  @ApiOkResponse({ type: FeedbackResponse, description: 'per item: accepted, or why not' })
  async feedback(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: FeedbackBody) {
    return { items: await this.commands.execute(new PostFeedback(workspace.id, body.streams.map(feedbackOf))) };
  }
}

/** A feedback item as the command takes it; `video_info` is a validated object of the JSON body. */
function feedbackOf({ stream_id, status, error, video_info }: FeedbackItem): Feedback {
  return { stream_id, status, error, video_info: video_info as JsonObject | undefined };
}
