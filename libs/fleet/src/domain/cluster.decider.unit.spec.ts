import { InvalidStateError, NotFoundError } from '@streamplane/core';
import { deciderSpec } from '@streamplane/testing';
import { clusterDecider } from './cluster.decider';
import { ClusterEvent } from './cluster.events';
import { clusterTokenHash, upcastClusterToken } from './cluster-token';

const now = new Date('2026-11-25T10:00:00.000Z');
const at = now.toISOString();
const created: ClusterEvent = { type: 'ClusterCreated', data: { cluster_id: 'c1', workspace_id: 'w1', name: 'edge', image_version: '1.0.0', token_sha256: null, at } };
const spec = deciderSpec(clusterDecider);

describe('cluster decider', () => {
  it('creates a cluster once', () => {
    spec.given([]).when({ type: 'Create', clusterId: 'c1', workspaceId: 'w1', name: 'edge', imageVersion: '1.0.0', tokenSha256: null, now }).then([created]);
    spec.given([created]).when({ type: 'Create', clusterId: 'c1', workspaceId: 'w1', name: 'edge', imageVersion: '1.0.0', tokenSha256: null, now }).thenThrows(InvalidStateError);
  });

  it('renames, sets the token and changes the image (a new image only when it differs)', () => {
    spec.given([created]).when({ type: 'Update', name: 'core', tokenSha256: 'abc', imageVersion: '1.1.0', blockingInstances: 0, now }).then([
      { type: 'ClusterUpdated', data: { name: 'core', token_sha256: 'abc', at } },
      { type: 'ClusterImageChanged', data: { from_version: '1.0.0', image_version: '1.1.0', at } },
    ]);
    spec.given([created]).when({ type: 'Update', imageVersion: '1.0.0', blockingInstances: 0, now }).then([]);
  });

  it('refuses a new image while an instance cannot be reconfigured (400), but still renames', () => {
    spec.given([created]).when({ type: 'Update', imageVersion: '1.1.0', blockingInstances: 1, now }).thenThrows(InvalidStateError, /cannot be reconfigured/);
    spec.given([created]).when({ type: 'Update', name: 'x', blockingInstances: 3, now }).then([{ type: 'ClusterUpdated', data: { name: 'x', at } }]);
  });

  it('keeps only the hash of a token; version 1 events (token in clear) read as their hash', () => {
    expect(clusterTokenHash('media-secret')).toBe('405894a9fd95f080b8e500156bd5be756a27d01c275806e5ca65577ac64a1627');
    expect(clusterTokenHash(null)).toBeNull();
    expect(upcastClusterToken({ name: 'edge', token: 'media-secret', at })).toEqual({ name: 'edge', token_sha256: clusterTokenHash('media-secret'), at });
    expect(upcastClusterToken({ token: null, at })).toEqual({ token_sha256: null, at });
    expect(upcastClusterToken({ name: 'x', at })).toEqual({ name: 'x', at });
  });

  it('deletes only without active instances; a deleted cluster is gone', () => {
    spec.given([created]).when({ type: 'Delete', activeInstances: 2, now }).thenThrows(InvalidStateError, /2 instance/);
    spec.given([created]).when({ type: 'Delete', activeInstances: 0, now }).then([{ type: 'ClusterDeleted', data: { at } }]);
    spec.given([created, { type: 'ClusterDeleted', data: { at } }]).when({ type: 'Update', name: 'y', blockingInstances: 0, now }).thenThrows(NotFoundError);
  });
});
