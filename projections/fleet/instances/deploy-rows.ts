import { PoolClient } from 'pg';
import { actorOf, RecordedEventOf } from '@streamplane/core';
import { InstanceEvent } from '@streamplane/fleet/events';
import { advance, idOf } from './instance-rows';

type DeployEvent<T extends InstanceEvent['type']> = RecordedEventOf<Extract<InstanceEvent, { type: T }>>;

const logLine = (client: PoolClient, deployId: string, event: RecordedEventOf<InstanceEvent>, line: string) =>
  client.query('INSERT INTO instance_deploy_log (deploy_id, position, time, line) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [deployId, event.position.toString(), event.data.at, line]);

export async function deployRequested(event: DeployEvent<'DeployRequested'>, client: PoolClient): Promise<void> {
  if (!(await advance(client, event))) return;
  const id = idOf(event);
  const d = event.data;
  const by = actorOf(event);
  // A deploy still queued when a newer one arrives will never run.
  const { rows } = await client.query<{ id: string }>(
    `UPDATE instance_deploys SET status = 'failed', error = $2, updated_at = $3, finished_at = $3 WHERE instance_id = $1 AND status = 'queued' RETURNING id`,
    [id, `superseded by deploy ${d.deploy_id}`, d.at],
  );
  for (const superseded of rows) await logLine(client, superseded.id, event, `superseded by deploy ${d.deploy_id}`);
  await client.query(
    `INSERT INTO instance_deploys (id, instance_id, workspace_id, cluster_id, image_version, from_version, kind, status, requested_by, created_at, updated_at)
     SELECT $1, $2, workspace_id, cluster_id, $3, $4, $5, 'queued', $6, $7, $7 FROM instances WHERE id = $2 ON CONFLICT (id) DO NOTHING`,
    [d.deploy_id, id, d.image_version, d.from_version, d.kind, JSON.stringify(by), d.at],
  );
  await logLine(client, d.deploy_id, event, `${d.kind} of ${d.image_version} (from ${d.from_version}) queued by ${by.type} ${by.id}`);
  await client.query(`UPDATE instances SET status = CASE WHEN status = 'stopped' THEN status ELSE 'pending' END WHERE id = $1`, [id]);
}

/** The deploy history: queued → running → succeeded | failed. */
export const deployStatus =
  (status: 'running' | 'succeeded' | 'failed') =>
  async (event: DeployEvent<'DeployStarted' | 'DeployCompleted' | 'DeployFailed'>, client: PoolClient): Promise<void> => {
    if (!(await advance(client, event))) return;
    const error = 'error' in event.data ? event.data.error : null;
    const d = event.data;
    await client.query(
      `UPDATE instance_deploys SET status = $2, error = $3, updated_at = $4,
         started_at = CASE WHEN $2 = 'running' THEN $4 ELSE started_at END, finished_at = CASE WHEN $2 = 'running' THEN NULL ELSE $4::timestamptz END
       WHERE id = $1`,
      [d.deploy_id, status, error, d.at],
    );
    const line = status === 'running' ? 'the job began replacing the instance' : status === 'succeeded' ? 'succeeded: the new version runs' : `failed: ${error}`;
    await logLine(client, d.deploy_id, event, line);
  };

/** Cancelled: the deploy is over, and the instance has the status and version the event gives it back. */
export async function deployCancelled(event: DeployEvent<'DeployCancelled'>, client: PoolClient): Promise<void> {
  if (!(await advance(client, event))) return;
  const d = event.data;
  const by = actorOf(event);
  await client.query(`UPDATE instance_deploys SET status = 'cancelled', cancel_reason = $2, updated_at = $3, finished_at = $3 WHERE id = $1`, [d.deploy_id, d.reason, d.at]);
  await client.query('UPDATE instances SET status = $2, image_version = $3 WHERE id = $1', [idOf(event), d.status, d.image_version]);
  await logLine(client, d.deploy_id, event, `cancelled while ${d.phase} by ${by.type} ${by.id}: ${d.reason}; the instance goes back to ${d.image_version}`);
}
