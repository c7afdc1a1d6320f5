import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, entityVersion, eventRouter, Projection, RecordedEventOf } from '@streamplane/core';
import { JsonObject, RecordedEvent } from '@streamplane/eventstore';
import { GroupEvent, groupStreams, StreamEvent, streamStreams } from '@streamplane/streams/events';

type StreamRecord = RecordedEventOf<StreamEvent>;
type GroupRecord = RecordedEventOf<GroupEvent>;

/** Sets columns of the stream `$1`; the parameters of `sql` start at `$2`. */
type SetColumns = (sql: string, params?: unknown[]) => Promise<unknown>;

/** What a stream event does to its row, and the status it leaves the stream in (none: unchanged). */
interface StreamChange {
  status?: string;
  /** Log the status even when it did not change (a PUT, a restart). */
  alwaysLog?: boolean;
  apply: (set: SetColumns) => Promise<unknown>;
  /** What the status log row says besides the status. */
  logged?: Logged;
}

interface Logged {
  error?: string;
  video_info?: JsonObject | null;
}


/** Streams with their status log, and groups with their members. `version` makes every event apply once. */
@Injectable()
export class StreamsProjection implements Projection {
  readonly name = 'streams';
  readonly kind = 'projection' as const;
  readonly context = 'streams';
  readonly migrations = { name: 'projection_streams', dir: join(__dirname, 'migrations') };

  private readonly router = eventRouter<StreamEvent | GroupEvent, PoolClient>({
    StreamCreated: (event, client) => this.created(client, event),
    StreamQueued: (event, client) => this.changed(client, event, { status: 'pending', apply: (set) => set(`status = 'pending', current_attempt = 0, lease_expires_at = NULL`) }),
    StreamUpdated: (event, client) => this.changed(client, event, { apply: (set) => set('description = $2', [event.data.description]) }),
    StreamReplaced: (event, client) => {
      const d = event.data;
      return this.changed(client, event, {
        status: d.status,
        alwaysLog: true,
        apply: (set) =>
          set('name = $2, description = $3, data = $4, reference = $5, event_handler = $6, policies = $7, autorestart = $8, status = $9, location = $10, current_attempt = 0, lease_expires_at = NULL', [
            d.name,
            d.description,
            d.data,
            referenceOf(d.data),
            d.event_handler,
            d.policies,
            d.autorestart,
            d.status,
            d.location,
          ]),
      });
    },
    StreamPaused: (event, client) => this.changed(client, event, { status: 'pause', apply: (set) => set(`status = $2, lease_expires_at = NULL`, ['pause']) }),
    StreamResumed: (event, client) => this.changed(client, event, { status: 'pending', apply: (set) => set(`status = 'pending', current_attempt = 0, lease_expires_at = NULL`) }),
    StreamCancelled: (event, client) => this.changed(client, event, { status: 'cancel', apply: (set) => set(`status = $2, lease_expires_at = NULL`, ['cancel']) }),
    StreamTaken: (event, client) =>
      this.changed(client, event, { status: 'in_progress', apply: (set) => set(`status = 'in_progress', lease_expires_at = $2`, [event.data.lease_expires_at]) }),
    StreamHeartbeat: (event, client) => this.changed(client, event, { apply: (set) => set(`status = 'in_progress', lease_expires_at = $2`, [event.data.lease_expires_at]) }),
    StreamCompleted: (event, client) =>
      this.changed(client, event, {
        status: 'done',
        apply: (set) => set(`status = 'done', lease_expires_at = NULL, video_info = coalesce($2, video_info), current_attempt = 0`, [event.data.video_info ?? null]),
        logged: { video_info: event.data.video_info },
      }),
    StreamFailed: (event, client) =>
      this.changed(client, event, {
        status: 'failure',
        apply: (set) => set(`status = 'failure', lease_expires_at = NULL, last_error = $2, video_info = coalesce($3, video_info)`, [event.data.error, event.data.video_info ?? null]),
        logged: { error: event.data.error, video_info: event.data.video_info },
      }),
    StreamHandlerLost: (event, client) =>
      this.changed(client, event, {
        status: 'handler_lost',
        apply: (set) => set(`status = 'handler_lost', lease_expires_at = NULL, last_error = $2`, [`handler lost: no feedback before the lease ran out at ${event.data.lease_expired_at}`]),
      }),
    StreamRestartRequested: (event, client) => {
      const d = event.data;
      return this.changed(client, event, {
        status: 'restart',
        alwaysLog: true,
        apply: (set) =>
          set(
            `status = 'restart', lease_expires_at = NULL, current_attempt = CASE WHEN $2 = 'autorestart' THEN $3::int ELSE current_attempt END, last_attempt_time = CASE WHEN $2 = 'autorestart' THEN $4::timestamptz ELSE last_attempt_time END`,
            [d.by, d.attempt, d.at],
          ),
      });
    },
    StreamDeleted: (event, client) =>
      this.changed(client, event, {
        // Deleted while a handler held it (it dropped a lease): Luna logs that as `not_found`.
        status: event.data.dropped_job?.lease_token ? 'not_found' : undefined,
        apply: async (set) => {
          await set(`deleted_at = $2, lease_expires_at = NULL`, [event.data.at]);
          await client.query('DELETE FROM stream_group_members WHERE stream_id = $1', [streamStreams.idOf(event.streamId)]);
        },
      }),

    GroupCreated: async (event, client) => {
      const d = event.data;
      await client.query(
        'INSERT INTO stream_groups (id, workspace_id, name, description, create_time, version) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING',
        [groupStreams.idOf(event.streamId), d.workspace_id, d.group_name, d.description, d.at, entityVersion(event)],
      );
    },
    GroupUpdated: (event, client) => this.groupChanged(client, event, (id) => client.query('UPDATE stream_groups SET description = $2 WHERE id = $1', [id, event.data.description])),
    GroupDeleted: (event, client) =>
      this.groupChanged(client, event, async (id) => {
        await client.query('UPDATE stream_groups SET deleted_at = $2 WHERE id = $1', [id, event.data.at]);
        await client.query('DELETE FROM stream_group_members WHERE group_id = $1', [id]);
      }),
    StreamsAttachedToGroup: (event, client) =>
      // Only streams still alive join: one deleted since the command checked it stays out.
      this.groupChanged(client, event, (id, workspaceId) =>
        client.query(
          `INSERT INTO stream_group_members (group_id, stream_id, workspace_id)
           SELECT $1, s.id, s.workspace_id FROM streams s WHERE s.id = ANY($2::uuid[]) AND s.workspace_id = $3 AND s.deleted_at IS NULL
           ON CONFLICT DO NOTHING`,
          [id, event.data.stream_ids, workspaceId],
        ),
      ),
    StreamsDetachedFromGroup: (event, client) =>
      this.groupChanged(client, event, (id) => client.query('DELETE FROM stream_group_members WHERE group_id = $1 AND stream_id = ANY($2::uuid[])', [id, event.data.stream_ids])),
  });
  readonly eventTypes = this.router.eventTypes;

  constructor(registry: ConsumerRegistry) {
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    for (const event of events) await this.router.route(event, client);
  }

  private async created(client: PoolClient, event: RecordedEventOf<Extract<StreamEvent, { type: 'StreamCreated' }>>): Promise<void> {
    const id = streamStreams.idOf(event.streamId);
    const d = event.data;
    const { rowCount } = await client.query(
      `INSERT INTO streams (id, workspace_id, name, description, data, reference, event_handler, policies, autorestart, status, version, create_time, location)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING`,
      [id, d.workspace_id, d.name, d.description, d.data, referenceOf(d.data), d.event_handler, d.policies, d.autorestart, d.status, entityVersion(event), d.at, d.location],
    );
    if (!rowCount) return;
    if (d.group_id) await client.query('INSERT INTO stream_group_members (group_id, stream_id, workspace_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [d.group_id, id, d.workspace_id]);
    await this.log(client, id, String(event.metadata.workspace_id ?? '') || d.workspace_id, entityVersion(event), d.status, d.at, {});
  }

  /** Any stream event after the create: applied once (by version), and a status change is one log row. */
  private async changed(client: PoolClient, event: StreamRecord, change: StreamChange): Promise<void> {
    const id = streamStreams.idOf(event.streamId);
    const { rows } = await client.query<{ status: string; workspace_id: string }>(
      'UPDATE streams s SET version = $2 FROM (SELECT status FROM streams WHERE id = $1) old WHERE s.id = $1 AND s.version < $2 RETURNING old.status, s.workspace_id',
      [id, entityVersion(event)],
    );
    if (!rows[0]) return;
    await change.apply((sql, params = []) => client.query(`UPDATE streams SET ${sql} WHERE id = $1`, [id, ...params]));
    // StreamQueued right after a pending create or replace is no status change, so no log row.
    if (change.status && (change.status !== rows[0].status || change.alwaysLog)) {
      await this.log(client, id, rows[0].workspace_id, entityVersion(event), change.status, event.data.at, change.logged ?? {});
    }
  }

  private async log(client: PoolClient, streamId: string, workspaceId: string, version: number, status: string, at: string, logged: Logged): Promise<void> {
    await client.query(
      `INSERT INTO stream_logs (stream_id, version, workspace_id, status, error, video_info, log_time) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [streamId, version, workspaceId, status, logged.error ?? null, logged.video_info ?? null, at],
    );
  }

  /** A group event after the create, applied once (by version), given the group's id and workspace. */
  private async groupChanged(client: PoolClient, event: GroupRecord, apply: (id: string, workspaceId: string) => Promise<unknown>): Promise<void> {
    const id = groupStreams.idOf(event.streamId);
    const { rows } = await client.query<{ workspace_id: string }>('UPDATE stream_groups SET version = $2 WHERE id = $1 AND version < $2 RETURNING workspace_id', [id, entityVersion(event)]);
    if (!rows[0]) return;
    await apply(id, rows[0].workspace_id);
  }
}

function referenceOf(data: JsonObject): string | null {
  const reference = data.reference;
  return typeof reference === 'string' ? reference : null;
}
