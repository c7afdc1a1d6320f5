import { Injectable } from '@nestjs/common';
import { AsOf, PastReads } from '@streamplane/core';
import { StreamsProjection } from '@streamplane/projections/streams/streams/streams.projection';
import { groupStreams } from '../domain/group.events';
import { streamStreams } from '../domain/stream.events';
import { GroupDirectory, GroupView } from './group-directory';
import { StreamDirectory, StreamView } from './stream-directory';

/**
 * Streams and groups as they were at a past point: the entity's own events up to there, replayed
 * by the streams projection into its rows in a rolled-back transaction, read by the live query
 * (same shape). Membership is made on both sides, so it comes out partial: a stream's `groups`
 * then shows the group it was created in, a group's `stream_count` the streams its own attach and
 * detach events left in it that still exist.
 * Undefined when the entity did not exist yet then, was already deleted, or is another workspace's.
 */
@Injectable()
export class StreamsAsOf {
  constructor(
    private readonly past: PastReads,
    private readonly projection: StreamsProjection,
    private readonly streams: StreamDirectory,
    private readonly groups: GroupDirectory,
  ) {}

  stream(workspaceId: string, streamId: string, point: AsOf): Promise<StreamView | undefined> {
    return this.past.read(this.projection, {
      workspaceId,
      stream: streamStreams.stream(streamId),
      point,
      clear: async (client) => {
        for (const table of ['stream_group_members', 'stream_logs']) await client.query(`DELETE FROM ${table} WHERE stream_id = $1`, [streamId]);
        await client.query('DELETE FROM streams WHERE id = $1', [streamId]);
      },
      read: (client) => this.streams.get(workspaceId, streamId, client),
    });
  }

  group(workspaceId: string, groupId: string, point: AsOf): Promise<GroupView | undefined> {
    return this.past.read(this.projection, {
      workspaceId,
      stream: groupStreams.stream(groupId),
      point,
      clear: async (client) => {
        await client.query('DELETE FROM stream_group_members WHERE group_id = $1', [groupId]);
        await client.query('DELETE FROM stream_groups WHERE id = $1', [groupId]);
      },
      read: (client) => this.groups.get(workspaceId, groupId, client),
    });
  }
}
