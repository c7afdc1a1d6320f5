import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, Projection } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';

const STATUS_AFTER: Record<string, string> = {
  InstanceProvisioningStarted: 'provisioning',
  InstanceProvisioned: 'running',
  InstanceProvisioningFailed: 'failed',
  InstanceStopRequested: 'stopping',
  InstanceStopped: 'stopped',
  InstanceStartRequested: 'pending',
  InstanceRestartRequested: 'pending',
  InstanceDeleteRequested: 'deleting',
  InstanceArchived: 'archived',
  InstanceCrashed: 'failed',
  InstanceHealingStarted: 'pending',
};

/** Instances of every workspace with their status, endpoint and configuration. */
@Injectable()
export class InstancesProjection implements Projection {
  readonly name = 'instances';
  readonly kind = 'projection' as const;
  readonly context = 'fleet';
  readonly eventTypes = ['InstanceRequested', 'InstanceReconfigured', 'DeployRequested', 'DeployStarted', 'DeployCompleted', 'DeployFailed', 'InstanceEnvChanged', 'InstanceHostLost', 'InstanceHostReturned', ...Object.keys(STATUS_AFTER)];
  readonly migrations = { name: 'projection_instances', dir: join(__dirname, 'migrations') };

  constructor(registry: ConsumerRegistry) {
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    for (const event of events) {
      const id = event.streamId.slice('instance-'.length);
      const version = Number(event.revision) + 1;
      const d = event.data as Record<string, string | null | undefined>;
      if (event.type === 'InstanceRequested') {
        await client.query(
          `INSERT INTO instances (id, workspace_id, cluster_id, name, status, machine_type, location, routing_key, image_version, created_at, updated_at, version)
           VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $9, $10) ON CONFLICT (id) DO NOTHING`,
          [id, d.workspace_id, d.cluster_id, d.name ?? null, d.machine_type, d.location, d.routing_key ?? null, d.image_version, d.at, version],
        );
        continue;
      }
      const { rowCount } = await client.query('UPDATE instances SET version = $2, updated_at = $3 WHERE id = $1 AND version < $2', [id, version, d.at]);
      if (!rowCount) continue;
      if (event.type.startsWith('Deploy')) await this.applyDeploy(client, id, event.type, event.data as Record<string, unknown>);
      if (event.type === 'DeployStarted' || event.type === 'DeployCompleted' || event.type === 'DeployFailed') continue;
      if (event.type === 'DeployRequested') {
        await client.query(`UPDATE instances SET status = CASE WHEN status = 'stopped' THEN status ELSE 'pending' END WHERE id = $1`, [id]);
        continue;
      }
      if (event.type === 'InstanceEnvChanged') {
        // Secret values never reach the read model: only that the name is set, secretly.
        const secret = Object.fromEntries(Object.keys((event.data.sealed as Record<string, string> | undefined) ?? {}).map((name) => [name, { secret: true, value: null }]));
        await client.query(`UPDATE instances SET env = (env || $2::jsonb || $4::jsonb) - $3::text[] WHERE id = $1`, [id, JSON.stringify(event.data.set ?? {}), event.data.unset ?? [], JSON.stringify(secret)]);
        continue;
      }
      if (event.type === 'InstanceHostLost' || event.type === 'InstanceHostReturned') {
        await client.query('UPDATE instances SET host_lost = $2 WHERE id = $1', [id, event.type === 'InstanceHostLost']);
        continue;
      }
      if (event.type === 'InstanceReconfigured') {
        await client.query(
          `UPDATE instances SET machine_type = coalesce($2, machine_type), location = coalesce($3, location), routing_key = CASE WHEN $4 THEN $5 ELSE routing_key END WHERE id = $1`,
          [id, d.machine_type ?? null, d.location ?? null, 'routing_key' in d, d.routing_key ?? null],
        );
        continue;
      }
      const status = STATUS_AFTER[event.type];
      if (event.type === 'InstanceProvisioned') {
        await client.query('UPDATE instances SET status = $2, endpoint = $3, image_version = $4, last_error = NULL, host = $5, host_lost = false WHERE id = $1', [id, status, d.endpoint, d.image_version, d.host ?? null]);
      } else if (event.type === 'InstanceProvisioningStarted') {
        await client.query('UPDATE instances SET status = $2, image_version = $3 WHERE id = $1', [id, status, d.image_version]);
      } else if (event.type === 'InstanceProvisioningFailed' || event.type === 'InstanceCrashed') {
        // Only its own host reports a crash, so that host is back (the decider clears it too).
        await client.query('UPDATE instances SET status = $2, endpoint = NULL, last_error = $3, host_lost = host_lost AND $4 WHERE id = $1', [id, status, d.error, event.type !== 'InstanceCrashed']);
      } else {
        const running = status === 'running' || status === 'stopping';
        await client.query(`UPDATE instances SET status = $2, endpoint = CASE WHEN $3 THEN endpoint ELSE NULL END WHERE id = $1`, [id, status, running]);
      }
    }
  }

  /** The deploy history: queued → running → succeeded | failed. */
  private async applyDeploy(client: PoolClient, instanceId: string, type: string, d: Record<string, unknown>): Promise<void> {
    const deployId = d.deploy_id as string | null | undefined;
    if (!deployId) return;
    if (type === 'DeployRequested') {
      // A deploy still queued when a newer one arrives will never run.
      await client.query(`UPDATE instance_deploys SET status = 'failed', error = $2, updated_at = $3 WHERE instance_id = $1 AND status = 'queued'`, [instanceId, `superseded by deploy ${deployId}`, d.at]);
      await client.query(
        `INSERT INTO instance_deploys (id, instance_id, workspace_id, image_version, from_version, kind, status, created_at, updated_at)
         SELECT $1, $2, workspace_id, $3, $4, $5, 'queued', $6, $6 FROM instances WHERE id = $2 ON CONFLICT (id) DO NOTHING`,
        [deployId, instanceId, d.image_version, d.from_version, d.kind, d.at],
      );
      return;
    }
    const status = type === 'DeployStarted' ? 'running' : type === 'DeployCompleted' ? 'succeeded' : type === 'DeployFailed' ? 'failed' : undefined;
    if (status) await client.query('UPDATE instance_deploys SET status = $2, error = $3, updated_at = $4 WHERE id = $1', [deployId, status, (d.error as string | undefined) ?? null, d.at]);
  }
}
