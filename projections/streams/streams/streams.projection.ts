import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, Projection } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';

const STREAM_EVENTS = [
  'StreamCreated',
  'StreamQueued',
  'StreamUpdated',
  'StreamReplaced',
  'StreamPaused',
  'StreamResumed',
  'StreamCancelled',
  'StreamTaken',
  'StreamHeartbeat',
  'StreamCompleted',
  'StreamFailed',
  'StreamHandlerLost',
  'StreamRestartRequested',
  'StreamDeleted',
];
const GROUP_EVENTS = ['GroupCreated', 'GroupUpdated', 'GroupDeleted', 'StreamsAttachedToGroup', 'StreamsDetachedFromGroup'];

/** The status each event leaves a stream in; events that are not here leave it as it was. */
const STATUS_AFTER: Record<string, string> = {
  StreamQueued: 'pending',
  StreamResumed: 'pending',
  StreamPaused: 'pause',
  StreamCancelled: 'cancel',
  StreamTaken: 'in_progress',
  StreamCompleted: 'done',
  StreamFailed: 'failure',
  StreamHandlerLost: 'handler_lost',
  StreamRestartRequested: 'restart',
};

type Data = Record<string, unknown>;

/** Streams with their status log, and groups with their members. `version` makes every event apply once. */
@Injectable()
export class StreamsProjection implements Projection {
  readonly name = 'streams';
  readonly kind = 'projection' as const;
  readonly context = 'streams';
  readonly eventTypes = [...STREAM_EVENTS, ...GROUP_EVENTS];
  readonly migrations = { name: 'projection_streams', dir: join(__dirname, 'migrations') };

  constructor(registry: ConsumerRegistry) {
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    for (const event of events) {
      const version = Number(event.revision) + 1;
      const d = event.data as Data;
      const workspaceId = String(event.metadata.workspace_id ?? '');
      if (event.streamId.startsWith('group-')) await this.applyGroup(client, event.streamId.slice('group-'.length), version, event.type, d);
      else await this.applyStream(client, event.streamId.slice('stream-'.length), workspaceId, version, event.type, d);
    }
  }

  private async applyStream(client: PoolClient, id: string, workspaceId: string, version: number, type: string, d: Data): Promise<void> {
    if (type === 'StreamCreated') {
      const { rowCount } = await client.query(
        `INSERT INTO streams (id, workspace_id, name, description, data, reference, event_handler, policies, autorestart, status, version, create_time)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING`,
        [id, d.workspace_id, d.name, d.description, d.data, referenceOf(d.data), d.event_handler, d.policies, d.autorestart, d.status, version, d.at],
      );
      if (!rowCount) return;
      if (d.group_id) await client.query('INSERT INTO stream_group_members (group_id, stream_id, workspace_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [d.group_id, id, d.workspace_id]);
      await this.log(client, id, workspaceId || String(d.workspace_id), version, String(d.status), d);
      return;
    }
    const { rows } = await client.query<{ status: string; workspace_id: string }>(
      'UPDATE streams s SET version = $2 FROM (SELECT status FROM streams WHERE id = $1) old WHERE s.id = $1 AND s.version < $2 RETURNING old.status, s.workspace_id',
      [id, version],
    );
    if (!rows[0]) return;
    const before = rows[0].status;
    const status = type === 'StreamReplaced' ? String(d.status) : STATUS_AFTER[type];
    await this.applyStreamChange(client, id, type, d);
    // A status change is one log row; StreamQueued right after a pending create or replace is not one.
    if (status && (status !== before || type === 'StreamReplaced' || type === 'StreamRestartRequested')) await this.log(client, id, rows[0].workspace_id, version, status, d);
  }

  private async applyStreamChange(client: PoolClient, id: string, type: string, d: Data): Promise<void> {
    const set = (sql: string, params: unknown[] = []) => client.query(`UPDATE streams SET ${sql} WHERE id = $1`, [id, ...params]);
    switch (type) {
      case 'StreamUpdated':
        return void (await set('description = $2', [d.description]));
      case 'StreamReplaced':
        return void (await set('name = $2, description = $3, data = $4, reference = $5, event_handler = $6, policies = $7, autorestart = $8, status = $9, current_attempt = 0, lease_expires_at = NULL', [
          d.name,
          d.description,
          d.data,
          referenceOf(d.data),
          d.event_handler,
          d.policies,
          d.autorestart,
          d.status,
        ]));
      case 'StreamQueued':
      case 'StreamResumed':
        return void (await set(`status = 'pending', current_attempt = 0, lease_expires_at = NULL`));
      case 'StreamTaken':
      case 'StreamHeartbeat':
        return void (await set(`status = 'in_progress', lease_expires_at = $2`, [d.lease_expires_at]));
      case 'StreamCompleted':
        return void (await set(`status = 'done', lease_expires_at = NULL, video_info = coalesce($2, video_info), current_attempt = 0`, [d.video_info ?? null]));
      case 'StreamFailed':
        return void (await set(`status = 'failure', lease_expires_at = NULL, last_error = $2, video_info = coalesce($3, video_info)`, [d.error, d.video_info ?? null]));
      case 'StreamHandlerLost':
        return void (await set(`status = 'handler_lost', lease_expires_at = NULL, last_error = $2`, [`handler lost: no feedback before the lease ran out at ${String(d.lease_expired_at)}`]));
      case 'StreamRestartRequested':
        return void (await set(`status = 'restart', lease_expires_at = NULL, current_attempt = CASE WHEN $2 = 'autorestart' THEN $3::int ELSE current_attempt END, last_attempt_time = CASE WHEN $2 = 'autorestart' THEN $4::timestamptz ELSE last_attempt_time END`, [d.by, d.attempt, d.at]));
      case 'StreamPaused':
      case 'StreamCancelled':
        return void (await set(`status = $2, lease_expires_at = NULL`, [STATUS_AFTER[type]]));
      case 'StreamDeleted':
        await set(`deleted_at = $2, lease_expires_at = NULL`, [d.at]);
        await client.query('DELETE FROM stream_group_members WHERE stream_id = $1', [id]);
        return;
    }
  }

  private async log(client: PoolClient, streamId: string, workspaceId: string, version: number, status: string, d: Data): Promise<void> {
    const error = typeof d.error === 'string' ? d.error : null;
    await client.query(
      `INSERT INTO stream_logs (stream_id, version, workspace_id, status, error, video_info, log_time) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [streamId, version, workspaceId, status, error, d.video_info ?? null, d.at],
    );
  }

  private async applyGroup(client: PoolClient, id: string, version: number, type: string, d: Data): Promise<void> {
    if (type === 'GroupCreated') {
      await client.query(
        'INSERT INTO stream_groups (id, workspace_id, name, description, create_time, version) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING',
        [id, d.workspace_id, d.group_name, d.description, d.at, version],
      );
      return;
    }
    const { rows } = await client.query<{ workspace_id: string }>('UPDATE stream_groups SET version = $2 WHERE id = $1 AND version < $2 RETURNING workspace_id', [id, version]);
    if (!rows[0]) return;
    switch (type) {
      case 'GroupUpdated':
        await client.query('UPDATE stream_groups SET description = $2 WHERE id = $1', [id, d.description]);
        return;
      case 'GroupDeleted':
        await client.query('UPDATE stream_groups SET deleted_at = $2 WHERE id = $1', [id, d.at]);
        await client.query('DELETE FROM stream_group_members WHERE group_id = $1', [id]);
        return;
      case 'StreamsAttachedToGroup':
        // Only streams still alive join: one deleted since the command checked it stays out.
        await client.query(
          `INSERT INTO stream_group_members (group_id, stream_id, workspace_id)
           SELECT $1, s.id, s.workspace_id FROM streams s WHERE s.id = ANY($2::uuid[]) AND s.workspace_id = $3 AND s.deleted_at IS NULL
           ON CONFLICT DO NOTHING`,
          [id, d.stream_ids, rows[0].workspace_id],
        );
        return;
      case 'StreamsDetachedFromGroup':
        await client.query('DELETE FROM stream_group_members WHERE group_id = $1 AND stream_id = ANY($2::uuid[])', [id, d.stream_ids]);
        return;
    }
  }
}

function referenceOf(data: unknown): string | null {
  const reference = (data as { reference?: unknown } | null)?.reference;
  return typeof reference === 'string' ? reference : null;
}
