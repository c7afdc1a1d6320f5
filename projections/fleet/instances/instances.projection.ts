import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, entityVersion, eventRouter, Projection, RecordedEventOf } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { InstanceEvent } from '@streamplane/fleet/events';
import { deployCancelled, deployRequested, deployStatus } from './deploy-rows';
import { advance, idOf } from './instance-rows';

/** A status change of an event applied once; the endpoint stays only while the process still runs. */
const statusAfter =
  (status: 'stopping' | 'stopped' | 'pending' | 'deleting' | 'archived') =>
  async (event: RecordedEventOf<InstanceEvent>, client: PoolClient): Promise<void> => {
    if (!(await advance(client, event))) return;
    await client.query(`UPDATE instances SET status = $2, endpoint = CASE WHEN $3 THEN endpoint ELSE NULL END WHERE id = $1`, [idOf(event), status, status === 'stopping']);
  };

/** A failure report: no endpoint, its error shown. */
const failed =
  (hostBack: boolean) =>
  async (event: RecordedEventOf<InstanceEvent & { type: 'InstanceProvisioningFailed' | 'InstanceCrashed' }>, client: PoolClient): Promise<void> => {
    if (!(await advance(client, event))) return;
    await client.query(`UPDATE instances SET status = 'failed', endpoint = NULL, last_error = $2, host_lost = host_lost AND $3 WHERE id = $1`, [idOf(event), event.data.error, !hostBack]);
  };

const hostLost = (lost: boolean) => async (event: RecordedEventOf<InstanceEvent>, client: PoolClient) => {
  if (!(await advance(client, event))) return;
  await client.query('UPDATE instances SET host_lost = $2 WHERE id = $1', [idOf(event), lost]);
};

/** Instances of every workspace with their status, endpoint and configuration. */
@Injectable()
export class InstancesProjection implements Projection {
  readonly name = 'instances';
  readonly kind = 'projection' as const;
  readonly context = 'fleet';
  readonly migrations = { name: 'projection_instances', dir: join(__dirname, 'migrations') };

  private readonly router = eventRouter<InstanceEvent, PoolClient>({
    InstanceRequested: async (event, client) => {
      const d = event.data;
      await client.query(
        `INSERT INTO instances (id, workspace_id, cluster_id, name, status, machine_type, location, routing_key, image_version, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $9, $10) ON CONFLICT (id) DO NOTHING`,
        [idOf(event), d.workspace_id, d.cluster_id, d.name ?? null, d.machine_type, d.location, d.routing_key ?? null, d.image_version, d.at, entityVersion(event)],
      );
    },
    InstanceProvisioningStarted: async (event, client) => {
      if (!(await advance(client, event))) return;
      await client.query(`UPDATE instances SET status = 'provisioning', image_version = $2 WHERE id = $1`, [idOf(event), event.data.image_version]);
    },
    InstanceProvisioned: async (event, client) => {
      if (!(await advance(client, event))) return;
      const d = event.data;
      await client.query(`UPDATE instances SET status = 'running', endpoint = $2, image_version = $3, last_error = NULL, host = $4, host_lost = false WHERE id = $1`, [idOf(event), d.endpoint, d.image_version, d.host ?? null]);
    },
    InstanceProvisioningFailed: failed(false),
    // Only its own host reports a crash, so that host is back (the decider clears it too).
    InstanceCrashed: failed(true),
    InstanceStopRequested: statusAfter('stopping'),
    InstanceStopped: statusAfter('stopped'),
    InstanceStartRequested: statusAfter('pending'),
    InstanceRestartRequested: statusAfter('pending'),
    InstanceHealingStarted: statusAfter('pending'),
    InstanceDeleteRequested: statusAfter('deleting'),
    InstanceArchived: statusAfter('archived'),
    InstanceReconfigured: async (event, client) => {
      if (!(await advance(client, event))) return;
      const d = event.data;
      await client.query(
        `UPDATE instances SET machine_type = coalesce($2, machine_type), location = coalesce($3, location), routing_key = CASE WHEN $4 THEN $5 ELSE routing_key END WHERE id = $1`,
        [idOf(event), d.machine_type ?? null, d.location ?? null, 'routing_key' in d, d.routing_key ?? null],
      );
    },
    InstanceLabelled: async (event, client) => {
      if (!(await advance(client, event))) return;
      const d = event.data;
      await client.query(
        `UPDATE instances SET name = CASE WHEN $2 THEN $3 ELSE name END, description = coalesce($4, description), tags = coalesce($5, tags) WHERE id = $1`,
        [idOf(event), 'name' in d, d.name ?? null, d.description ?? null, d.tags ?? null],
      );
    },
    InstanceEnvChanged: async (event, client) => {
      if (!(await advance(client, event))) return;
      const d = event.data;
      // Secret values never reach the read model: only that the name is set, secretly.
      const secret = Object.fromEntries(Object.keys(d.sealed ?? {}).map((name) => [name, { secret: true, value: null }]));
      await client.query(`UPDATE instances SET env = (env || $2::jsonb || $4::jsonb) - $3::text[] WHERE id = $1`, [idOf(event), JSON.stringify(d.set ?? {}), d.unset ?? [], JSON.stringify(secret)]);
    },
    InstanceHostLost: hostLost(true),
    InstanceHostReturned: hostLost(false),
    DeployRequested: deployRequested,
    DeployStarted: deployStatus('running'),
    DeployCompleted: deployStatus('succeeded'),
    DeployFailed: deployStatus('failed'),
    DeployCancelled: deployCancelled,
    // Nothing was ever written for the instance: its stream is only closed.
    InstanceRequestAbandoned: null,
  });
  readonly eventTypes = this.router.eventTypes;

  constructor(registry: ConsumerRegistry) {
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    for (const event of events) await this.router.route(event, client);
  }
}
