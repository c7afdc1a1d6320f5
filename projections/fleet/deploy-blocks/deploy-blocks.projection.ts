import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { actorOf, ConsumerRegistry, entityVersion, eventRouter, Projection } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { DeployBlockEvent, deployBlockStreams } from '@streamplane/fleet/events';

/** The deploy freezes that hold now; a lifted one leaves (its events keep its story). */
@Injectable()
export class DeployBlocksProjection implements Projection {
  readonly name = 'deploy_blocks';
  readonly kind = 'projection' as const;
  readonly context = 'fleet';
  readonly migrations = { name: 'projection_deploy_blocks', dir: join(__dirname, 'migrations') };

  private readonly router = eventRouter<DeployBlockEvent, PoolClient>({
    DeployBlockPlaced: async (event, client) => {
      const d = event.data;
      await client.query(
        `INSERT INTO deploy_blocks (id, workspace_id, cluster_id, reason, created_by, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [deployBlockStreams.idOf(event.streamId), d.workspace_id, d.cluster_id, d.reason, JSON.stringify(actorOf(event)), d.at, entityVersion(event)],
      );
    },
    // Deleting is idempotent: a replay finds nothing to delete.
    DeployBlockLifted: async (event, client) => {
      await client.query('DELETE FROM deploy_blocks WHERE id = $1', [deployBlockStreams.idOf(event.streamId)]);
    },
  });
  readonly eventTypes = this.router.eventTypes;

  constructor(registry: ConsumerRegistry) {
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    for (const event of events) await this.router.route(event, client);
  }
}
