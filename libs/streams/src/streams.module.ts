import { Module } from '@nestjs/common';
import { EventCatalog } from '@streamplane/core';
import { StreamsProjection } from '@streamplane/projections/streams/streams/streams.projection';
import { CreateGroupHandler, ChangeGroupHandler, DeleteGroupHandler, LinkStreamsHandler } from './commands/group-commands';
import { PostFeedbackHandler, TakeStreamsHandler } from './commands/queue-commands';
import { ChangeStreamHandler, CreateStreamHandler, DeleteStreamsHandler, ReplaceStreamHandler } from './commands/stream-lifecycle';
import { groupEvents, streamEvents } from './events';
import { GroupsController } from './http/groups.controller';
import { QueueController } from './http/queue.controller';
import { StreamsController } from './http/streams.controller';
import { GroupDirectory } from './queries/group-directory';
import { StreamsAsOf } from './queries/streams-as-of';
import { StreamDirectory } from './queries/stream-directory';
import { LeaseSweeper } from './queue/lease-sweeper';
import { ProcessingQueue } from './queue/processing-queue';
import { QueueKeeper } from './queue/queue-keeper';
import { StreamQueueRebuild } from './queue/queue-rebuild';

const handlers = [
  CreateStreamHandler,
  ChangeStreamHandler,
  ReplaceStreamHandler,
  DeleteStreamsHandler,
  TakeStreamsHandler,
  PostFeedbackHandler,
  CreateGroupHandler,
  ChangeGroupHandler,
  DeleteGroupHandler,
  LinkStreamsHandler,
];

/** Streams: the processing queue on BullMQ, handler feedback and leases, status logs, groups. */
@Module({
  controllers: [StreamsController, QueueController, GroupsController],
  providers: [...handlers, StreamDirectory, StreamsAsOf, GroupDirectory, ProcessingQueue, QueueKeeper, StreamQueueRebuild, LeaseSweeper, StreamsProjection],
  exports: [StreamDirectory, ProcessingQueue],
})
export class StreamsModule {
  constructor(catalog: EventCatalog) {
    catalog.register(streamEvents, groupEvents);
  }
}
