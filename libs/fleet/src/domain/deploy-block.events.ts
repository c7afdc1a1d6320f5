import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';

/** `deploy_block-<id>`: one stream per deploy freeze. */
export const deployBlockStreams = streamCategory('deploy_block');

type At = { at: string };

/** A deploy freeze of a workspace, or of one of its clusters (Tsuru's event blocks). */
export const deployBlockEvents = defineEvents(deployBlockStreams, {
  /** `cluster_id` null: the whole workspace is frozen. */
  DeployBlockPlaced: {
    description: 'Deploys, rollbacks and cluster rollouts were frozen in a workspace, or in one of its clusters',
    payload: payload<At & { block_id: string; workspace_id: string; cluster_id: string | null; reason: string }>(),
  },
  DeployBlockLifted: { description: 'A deploy freeze was lifted', payload: payload<At>() },
});

export type DeployBlockEvent = EventOf<typeof deployBlockEvents>;
