import { InvalidStateError, NotFoundError } from '@streamplane/core';
import { deciderSpec } from '@streamplane/testing';
import { clusterDecider, ClusterEvent } from './cluster.decider';

const now = new Date('2026-11-25T10:00:00.000Z');
const at = now.toISOString();
const created: ClusterEvent = { type: 'ClusterCreated', data: { cluster_id: 'c1', workspace_id: 'w1', name: 'edge', image_version: '1.0.0', token: null, at } };
const spec = deciderSpec(clusterDecider);

describe('cluster decider', () => {
  it('creates a cluster once', () => {
    spec.given([]).when({ type: 'Create', clusterId: 'c1', workspaceId: 'w1', name: 'edge', imageVersion: '1.0.0', token: null, now }).then([created]);
    spec.given([created]).when({ type: 'Create', clusterId: 'c1', workspaceId: 'w1', name: 'edge', imageVersion: '1.0.0', token: null, now }).thenThrows(InvalidStateError);
  });

  it('renames, sets the token and changes the image (a new image only when it differs)', () => {
    spec.given([created]).when({ type: 'Update', name: 'core', token: 's3cret', imageVersion: '1.1.0', blockingInstances: 0, now }).then([
      { type: 'ClusterUpdated', data: { name: 'core', token: 's3cret', at } },
      { type: 'ClusterImageChanged', data: { from_version: '1.0.0', image_version: '1.1.0', at } },
    ]);
    spec.given([created]).when({ type: 'Update', imageVersion: '1.0.0', blockingInstances: 0, now }).then([]);
  });

  it('refuses a new image while an instance cannot be reconfigured (400), but still renames', () => {
    spec.given([created]).when({ type: 'Update', imageVersion: '1.1.0', blockingInstances: 1, now }).thenThrows(InvalidStateError, /cannot be reconfigured/);
    spec.given([created]).when({ type: 'Update', name: 'x', blockingInstances: 3, now }).then([{ type: 'ClusterUpdated', data: { name: 'x', at } }]);
  });

  it('deletes only without active instances; a deleted cluster is gone', () => {
    spec.given([created]).when({ type: 'Delete', activeInstances: 2, now }).thenThrows(InvalidStateError, /2 instance/);
    spec.given([created]).when({ type: 'Delete', activeInstances: 0, now }).then([{ type: 'ClusterDeleted', data: { at } }]);
    spec.given([created, { type: 'ClusterDeleted', data: { at } }]).when({ type: 'Update', name: 'y', blockingInstances: 0, now }).thenThrows(NotFoundError);
  });
});
