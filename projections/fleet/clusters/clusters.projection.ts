import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, entityVersion, eventRouter, Projection, RecordedEventOf } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';
import { ClusterEvent, clusterStreams } from '@streamplane/fleet/events';


/** Moves the cluster to the event's version; false when the event was applied already (a replay). */
async function advance(client: PoolClient, event: RecordedEventOf<ClusterEvent>): Promise<boolean> {
  const { rowCount } = await client.query('UPDATE clusters SET version = $2, updated_at = $3 WHERE id = $1 AND version < $2', [clusterStreams.idOf(event.streamId), entityVersion(event), event.data.at]);
  return Boolean(rowCount);
}

/** Clusters of every workspace. `version` makes each event apply once. */
@Injectable()
export class ClustersProjection implements Projection {
  readonly name = 'clusters';
  readonly kind = 'projection' as const;
  readonly context = 'fleet';
  readonly migrations = { name: 'projection_clusters', dir: join(__dirname, 'migrations') };

  // Version 1 cluster events (the token in clear) arrive upcast: only its hash, never the token.
  private readonly router = eventRouter<ClusterEvent, PoolClient>({
    ClusterCreated: async (event, client) => {
      const d = event.data;
      await client.query(
        `INSERT INTO clusters (id, workspace_id, name, image_version, token_set, status, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, 'running', $6, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [clusterStreams.idOf(event.streamId), d.workspace_id, d.name, d.image_version, (d.token_sha256 ?? null) !== null, d.at, entityVersion(event)],
      );
    },
    ClusterUpdated: async (event, client) => {
      if (!(await advance(client, event))) return;
      const d = event.data;
      await client.query(`UPDATE clusters SET name = CASE WHEN $2 THEN $3 ELSE name END, token_set = CASE WHEN $4 THEN $5 ELSE token_set END WHERE id = $1`, [
        clusterStreams.idOf(event.streamId),
        'name' in d,
        d.name ?? null,
        'token_sha256' in d,
        (d.token_sha256 ?? null) !== null,
      ]);
    },
    ClusterImageChanged: async (event, client) => {
      if (!(await advance(client, event))) return;
      await client.query('UPDATE clusters SET image_version = $2 WHERE id = $1', [clusterStreams.idOf(event.streamId), event.data.image_version]);
    },
    ClusterRollbackDisabled: async (event, client) => {
      if (!(await advance(client, event))) return;
      await client.query('UPDATE clusters SET no_rollback = no_rollback || jsonb_build_object($2::text, $3::text) WHERE id = $1', [clusterStreams.idOf(event.streamId), event.data.image_version, event.data.reason]);
    },
    ClusterRollbackEnabled: async (event, client) => {
      if (!(await advance(client, event))) return;
      await client.query('UPDATE clusters SET no_rollback = no_rollback - $2::text WHERE id = $1', [clusterStreams.idOf(event.streamId), event.data.image_version]);
    },
    ClusterDeleted: async (event, client) => {
      if (!(await advance(client, event))) return;
      await client.query(`UPDATE clusters SET status = 'deleted', deleted_at = $2 WHERE id = $1`, [clusterStreams.idOf(event.streamId), event.data.at]);
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
