import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { ConsumerRegistry, Projection } from '@streamplane/core';
import { RecordedEvent } from '@streamplane/eventstore';

/** Clusters of every workspace. `version` makes each event apply once. */
@Injectable()
export class ClustersProjection implements Projection {
  readonly name = 'clusters';
  readonly kind = 'projection' as const;
  readonly context = 'fleet';
  readonly eventTypes = ['ClusterCreated', 'ClusterUpdated', 'ClusterImageChanged', 'ClusterDeleted'];
  readonly migrations = { name: 'projection_clusters', dir: join(__dirname, 'migrations') };

  constructor(registry: ConsumerRegistry) {
    registry.add(this);
  }

  async process(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    for (const event of events) {
      const id = event.streamId.slice('cluster-'.length);
      const version = Number(event.revision) + 1;
      const d = event.data as Record<string, string | null | undefined>;
      if (event.type === 'ClusterCreated') {
        await client.query(
          `INSERT INTO clusters (id, workspace_id, name, image_version, token_set, status, created_at, updated_at, version)
           VALUES ($1, $2, $3, $4, $5, 'running', $6, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [id, d.workspace_id, d.name, d.image_version, tokenSet(d), d.at, version],
        );
        continue;
      }
      const { rowCount } = await client.query('UPDATE clusters SET version = $2, updated_at = $3 WHERE id = $1 AND version < $2', [id, version, d.at]);
      if (!rowCount) continue;
      if (event.type === 'ClusterUpdated') {
        await client.query(
          `UPDATE clusters SET name = CASE WHEN $2 THEN $3 ELSE name END, token_set = CASE WHEN $4 THEN $5 ELSE token_set END WHERE id = $1`,
          [id, 'name' in d, d.name ?? null, 'token' in d || 'token_sha256' in d, tokenSet(d)],
        );
      } else if (event.type === 'ClusterImageChanged') {
        await client.query('UPDATE clusters SET image_version = $2 WHERE id = $1', [id, d.image_version]);
      } else if (event.type === 'ClusterDeleted') {
        await client.query(`UPDATE clusters SET status = 'deleted', deleted_at = $2 WHERE id = $1`, [id, d.at]);
      }
    }
  }
}

/** Whether the event sets a token: its hash (version 2) or, in version 1 events, the token itself (never copied here). */
function tokenSet(d: Record<string, string | null | undefined>): boolean {
  return (d.token_sha256 ?? d.token ?? null) !== null;
}
