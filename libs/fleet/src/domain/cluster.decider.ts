import { createHash } from 'node:crypto';
import { Decider, DomainEvent, InvalidStateError, NotFoundError } from '@streamplane/core';

type At = { at: string };

export type ClusterEvent =
  /**
   * `token_sha256`: the hash of the token media-node clients present to its instances (version 2);
   * version 1 events held the token itself, which the upcaster turns into its hash.
   */
  | DomainEvent<'ClusterCreated', At & { cluster_id: string; workspace_id: string; name: string; image_version: string; token_sha256: string | null }>
  | DomainEvent<'ClusterUpdated', At & { name?: string; token_sha256?: string | null }>
  | DomainEvent<'ClusterImageChanged', At & { from_version: string; image_version: string }>
  | DomainEvent<'ClusterDeleted', At>;

export type ClusterCommand =
  | { type: 'Create'; clusterId: string; workspaceId: string; name: string; imageVersion: string; tokenSha256: string | null; now: Date }
  /** `blockingInstances`: instances in a state that cannot take a new image (from the fleet's read model). */
  | { type: 'Update'; name?: string; imageVersion?: string; tokenSha256?: string | null; blockingInstances: number; now: Date }
  | { type: 'Delete'; activeInstances: number; now: Date };

export interface ClusterState {
  status: 'none' | 'active' | 'deleted';
  workspaceId?: string;
  imageVersion?: string;
}

/**
 * A cluster token is a credential: the log keeps only its SHA-256 (enough for an instance to check
 * a presented token), and no answer shows it after the request that set it.
 */
export const clusterTokenHash = (token: string | null): string | null => (token === null ? null : createHash('sha256').update(token, 'utf8').digest('hex'));

/** Version 1 cluster events held the token in clear: folds and reads see only its hash. */
export function upcastClusterToken(data: Record<string, unknown>): Record<string, unknown> {
  if (!('token' in data)) return data;
  const { token, ...rest } = data;
  return { ...rest, token_sha256: clusterTokenHash(typeof token === 'string' ? token : null) };
}

export const clusterStream = (clusterId: string) => `cluster-${clusterId}`;

export const clusterDecider: Decider<ClusterCommand, ClusterEvent, ClusterState> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'ClusterCreated':
        return { status: 'active', workspaceId: event.data.workspace_id, imageVersion: event.data.image_version };
      case 'ClusterImageChanged':
        return { ...state, imageVersion: event.data.image_version };
      case 'ClusterDeleted':
        return { ...state, status: 'deleted' };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    const at = command.now.toISOString();
    if (command.type === 'Create') {
      if (state.status !== 'none') throw new InvalidStateError('this cluster already exists');
      return [{ type: 'ClusterCreated', data: { cluster_id: command.clusterId, workspace_id: command.workspaceId, name: command.name, image_version: command.imageVersion, token_sha256: command.tokenSha256, at } }];
    }
    if (state.status !== 'active') throw new NotFoundError('no such cluster');
    if (command.type === 'Delete') {
      if (command.activeInstances > 0) throw new InvalidStateError(`the cluster still has ${command.activeInstances} instance(s) that are not archived; delete them first`);
      return [{ type: 'ClusterDeleted', data: { at } }];
    }
    const events: ClusterEvent[] = [];
    if (command.name !== undefined || command.tokenSha256 !== undefined) {
      events.push({ type: 'ClusterUpdated', data: { ...(command.name !== undefined && { name: command.name }), ...(command.tokenSha256 !== undefined && { token_sha256: command.tokenSha256 }), at } });
    }
    if (command.imageVersion !== undefined && command.imageVersion !== state.imageVersion) {
      if (command.blockingInstances > 0) throw new InvalidStateError(`${command.blockingInstances} instance(s) of this cluster are in a state that cannot be reconfigured; try again when they have settled`);
      events.push({ type: 'ClusterImageChanged', data: { from_version: state.imageVersion!, image_version: command.imageVersion, at } });
    }
    return events;
  },
};
