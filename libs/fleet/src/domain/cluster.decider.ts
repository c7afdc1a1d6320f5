import { Decider, DomainEvent, InvalidStateError, NotFoundError } from '@streamplane/core';

type At = { at: string };

export type ClusterEvent =
  | DomainEvent<'ClusterCreated', At & { cluster_id: string; workspace_id: string; name: string; image_version: string; token: string | null }>
  | DomainEvent<'ClusterUpdated', At & { name?: string; token?: string | null }>
  | DomainEvent<'ClusterImageChanged', At & { from_version: string; image_version: string }>
  | DomainEvent<'ClusterDeleted', At>;

export type ClusterCommand =
  | { type: 'Create'; clusterId: string; workspaceId: string; name: string; imageVersion: string; token: string | null; now: Date }
  /** `blockingInstances`: instances in a state that cannot take a new image (from the fleet's read model). */
  | { type: 'Update'; name?: string; imageVersion?: string; token?: string | null; blockingInstances: number; now: Date }
  | { type: 'Delete'; activeInstances: number; now: Date };

export interface ClusterState {
  status: 'none' | 'active' | 'deleted';
  workspaceId?: string;
  imageVersion?: string;
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
      return [{ type: 'ClusterCreated', data: { cluster_id: command.clusterId, workspace_id: command.workspaceId, name: command.name, image_version: command.imageVersion, token: command.token, at } }];
    }
    if (state.status !== 'active') throw new NotFoundError('no such cluster');
    if (command.type === 'Delete') {
      if (command.activeInstances > 0) throw new InvalidStateError(`the cluster still has ${command.activeInstances} instance(s) that are not archived; delete them first`);
      return [{ type: 'ClusterDeleted', data: { at } }];
    }
    const events: ClusterEvent[] = [];
    if (command.name !== undefined || command.token !== undefined) {
      events.push({ type: 'ClusterUpdated', data: { ...(command.name !== undefined && { name: command.name }), ...(command.token !== undefined && { token: command.token }), at } });
    }
    if (command.imageVersion !== undefined && command.imageVersion !== state.imageVersion) {
      if (command.blockingInstances > 0) throw new InvalidStateError(`${command.blockingInstances} instance(s) of this cluster are in a state that cannot be reconfigured; try again when they have settled`);
      events.push({ type: 'ClusterImageChanged', data: { from_version: state.imageVersion!, image_version: command.imageVersion, at } });
    }
    return events;
  },
};
