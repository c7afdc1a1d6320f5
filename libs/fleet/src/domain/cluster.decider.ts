import { Aggregate, Decider, InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { ClusterEvent, clusterStreams } from './cluster.events';

export type ClusterCommand =
  | { type: 'Create'; clusterId: string; workspaceId: string; name: string; imageVersion: string; tokenSha256: string | null; now: Date }
  /** `blockingInstances`: instances in a state that cannot take a new image (from the fleet's read model). */
  | { type: 'Update'; name?: string; imageVersion?: string; tokenSha256?: string | null; blockingInstances: number; now: Date }
  | { type: 'Delete'; activeInstances: number; now: Date }
  | { type: 'DisableRollback'; imageVersion: string; reason: string; now: Date }
  | { type: 'EnableRollback'; imageVersion: string; now: Date };

export interface ClusterState {
  status: 'none' | 'active' | 'deleted';
  workspaceId?: string;
  imageVersion?: string;
  /** Versions no rollback may go back to, with the reason given. */
  noRollback: Record<string, string>;
}

export const clusterDecider: Decider<ClusterCommand, ClusterEvent, ClusterState> = {
  initialState: () => ({ status: 'none', noRollback: {} }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'ClusterCreated':
        return { status: 'active', workspaceId: event.data.workspace_id, imageVersion: event.data.image_version, noRollback: {} };
      case 'ClusterImageChanged':
        return { ...state, imageVersion: event.data.image_version };
      case 'ClusterDeleted':
        return { ...state, status: 'deleted' };
      case 'ClusterRollbackDisabled':
        return { ...state, noRollback: { ...state.noRollback, [event.data.image_version]: event.data.reason } };
      case 'ClusterRollbackEnabled': {
        const { [event.data.image_version]: _enabled, ...noRollback } = state.noRollback;
        return { ...state, noRollback };
      }
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
    if (command.type === 'DisableRollback') {
      // Marking it again with the same reason changes nothing; a new reason replaces the old.
      if (state.noRollback[command.imageVersion] === command.reason) return [];
      return [{ type: 'ClusterRollbackDisabled', data: { image_version: command.imageVersion, reason: command.reason, at } }];
    }
    if (command.type === 'EnableRollback') {
      if (state.noRollback[command.imageVersion] === undefined) throw new NotFoundError('this version is not marked: rollbacks may go back to it');
      return [{ type: 'ClusterRollbackEnabled', data: { image_version: command.imageVersion, at } }];
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

/** Clusters: one stream each, of one workspace (a foreign id is a 404). */
export const clusters: Aggregate<ClusterCommand, ClusterEvent, ClusterState> = { category: clusterStreams, decider: clusterDecider, noun: 'cluster' };
