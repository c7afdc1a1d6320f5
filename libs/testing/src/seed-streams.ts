import { Pool } from 'pg';

/**
 * `count` streams put straight into the streams read model of a workspace in one statement (no
 * events: for reads at scale only). Stream n is named `seed-<n>`, has reference
 * `file:///seed/<n mod 1000>.mp4`, is `done` but every tenth is `pause`, and was created n ms
 * after `from`. A group of that name gets every hundredth stream when `group` is given; with
 * `logs`, each stream gets one status-log row.
 */
export async function seedStreams(pool: Pool, workspaceId: string, count: number, options: { from?: Date; group?: string; logs?: boolean } = {}): Promise<void> {
  const from = (options.from ?? new Date('2020-01-01T00:00:00Z')).toISOString();
  await pool.query(
    `INSERT INTO read.streams (id, workspace_id, name, description, data, reference, event_handler, policies, autorestart, status, version, create_time)
     SELECT gen_random_uuid(), $1, 'seed-' || n, '', jsonb_build_object('reference', 'file:///seed/' || (n % 1000) || '.mp4'),
            'file:///seed/' || (n % 1000) || '.mp4', '{}', '{}', '{"restart": 0, "attempt_count": 10, "delay": 60}',
            CASE WHEN n % 10 = 0 THEN 'pause' ELSE 'done' END, 1, $2::timestamptz + n * interval '1 millisecond'
       FROM generate_series(1, $3::int) AS n`,
    [workspaceId, from, count],
  );
  if (options.group) {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO read.stream_groups (id, workspace_id, name, description, create_time, version) VALUES (gen_random_uuid(), $1, $2, '', now(), 1) RETURNING id`,
      [workspaceId, options.group],
    );
    await pool.query(
      `INSERT INTO read.stream_group_members (group_id, stream_id, workspace_id)
       SELECT $2, id, workspace_id FROM read.streams WHERE workspace_id = $1 AND name LIKE 'seed-%00'`,
      [workspaceId, rows[0].id],
    );
  }
  if (options.logs) {
    await pool.query(
      `INSERT INTO read.stream_logs (stream_id, version, workspace_id, status, log_time)
       SELECT id, 1, workspace_id, status, create_time FROM read.streams WHERE workspace_id = $1 AND name LIKE 'seed-%'`,
      [workspaceId],
    );
    await pool.query('VACUUM ANALYZE read.stream_logs');
  }
  await pool.query('VACUUM ANALYZE read.streams');
  await pool.query('ANALYZE read.stream_group_members');
}
