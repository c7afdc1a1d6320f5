import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';
import { upcastClusterToken } from './cluster-token';

/** `cluster-<id>`: one stream per cluster. */
export const clusterStreams = streamCategory('cluster');

type At = { at: string };

/**
 * A cluster's events. `token_sha256` (version 2 of ClusterCreated and ClusterUpdated) is the hash
 * of the token media-node clients present to its instances; version 1 events held the token
 * itself, which the upcaster turns into its hash.
 */
export const clusterEvents = defineEvents(clusterStreams, {
  ClusterCreated: {
    description: 'A cluster was created with its media-node image version (and the SHA-256 of its token; version 1 held the token)',
    version: 2,
    upcasters: { 1: upcastClusterToken },
    payload: payload<At & { cluster_id: string; workspace_id: string; name: string; image_version: string; token_sha256: string | null }>(),
  },
  ClusterUpdated: {
    description: 'A cluster was renamed or given a new token (its SHA-256; version 1 held the token)',
    version: 2,
    upcasters: { 1: upcastClusterToken },
    payload: payload<At & { name?: string; token_sha256?: string | null }>(),
  },
  ClusterImageChanged: { description: "A cluster's image version changed (rolled out to its instances)", payload: payload<At & { from_version: string; image_version: string }>() },
  ClusterDeleted: { description: 'A cluster was deleted', payload: payload<At>() },
  /** Tsuru's "rollback update" with disable: the version stays deployable, but no rollback goes back to it. */
  ClusterRollbackDisabled: { description: 'An image version was marked not to be rolled back to in a cluster, with a reason', payload: payload<At & { image_version: string; reason: string }>() },
  ClusterRollbackEnabled: { description: 'An image version may be rolled back to again in a cluster', payload: payload<At & { image_version: string }>() },
});

export type ClusterEvent = EventOf<typeof clusterEvents>;
