import { InvalidStateError, NotFoundError } from '@streamplane/core';
import { deciderSpec } from '@streamplane/testing';
import { clusterDecider } from './cluster.decider';
import { ClusterEvent } from './cluster.events';
import { instanceDecider, RollbackDisabledError } from './instance.decider';
import { InstanceEvent } from './instance.events';

const now = new Date('2026-11-27T10:00:00.000Z');
const at = now.toISOString();
const created: ClusterEvent = { type: 'ClusterCreated', data: { cluster_id: 'c1', workspace_id: 'w1', name: 'edge', image_version: '1.0.0', token_sha256: null, at } };
const marked: ClusterEvent = { type: 'ClusterRollbackDisabled', data: { image_version: '1.0.0', reason: 'leaks memory', at } };

describe('rollback rules: a cluster marks versions no rollback may go back to', () => {
  const cluster = deciderSpec(clusterDecider);
  const instance = deciderSpec(instanceDecider);

  it('marks a version once per reason, and takes a mark off only where there is one', () => {
    cluster.given([created]).when({ type: 'DisableRollback', imageVersion: '1.0.0', reason: 'leaks memory', now }).then([marked]);
    cluster.given([created, marked]).when({ type: 'DisableRollback', imageVersion: '1.0.0', reason: 'leaks memory', now }).then([]);
    cluster.given([created, marked]).when({ type: 'EnableRollback', imageVersion: '1.0.0', now }).then([{ type: 'ClusterRollbackEnabled', data: { image_version: '1.0.0', at } }]);
    cluster.given([created]).when({ type: 'EnableRollback', imageVersion: '1.0.0', now }).thenThrows(NotFoundError);
    const state = [created, marked].reduce(clusterDecider.evolve, clusterDecider.initialState());
    expect(state.noRollback).toEqual({ '1.0.0': 'leaks memory' });
  });

  const deployed: InstanceEvent[] = [
    { type: 'InstanceRequested', data: { instance_id: 'i1', workspace_id: 'w1', cluster_id: 'c1', name: null, machine_type: 'xsmall', location: 'eu_central', routing_key: null, image_version: '1.0.0', at } },
    { type: 'InstanceProvisioningStarted', data: { image_version: '1.0.0', at } },
    { type: 'InstanceProvisioned', data: { endpoint: 'e', image_version: '1.0.0', at } },
    { type: 'DeployRequested', data: { deploy_id: 'd1', image_version: '1.1.0', kind: 'deploy', from_version: '1.0.0', at } },
    { type: 'InstanceProvisioningStarted', data: { image_version: '1.1.0', at } },
    { type: 'DeployStarted', data: { deploy_id: 'd1', at } },
    { type: 'InstanceProvisioned', data: { endpoint: 'e', image_version: '1.1.0', at } },
    { type: 'DeployCompleted', data: { deploy_id: 'd1', at } },
  ];

  it('refuses a rollback to a marked version with its reason, and lets others through', () => {
    instance.given(deployed).when({ type: 'Rollback', deployId: 'r1', noRollback: { '1.0.0': 'leaks memory' }, now }).thenThrows(RollbackDisabledError, /1\.0\.0 is marked .*leaks memory/);
    instance.given(deployed).when({ type: 'Rollback', deployId: 'r1', noRollback: { '1.1.0': 'other' }, now }).then([
      { type: 'DeployRequested', data: { deploy_id: 'r1', image_version: '1.0.0', kind: 'rollback', from_version: '1.1.0', at } },
    ]);
    // A mark is no reason to try another version: with nothing else to go back to, it is still a 400.
    instance.given(deployed.slice(0, 3)).when({ type: 'Rollback', deployId: 'r1', noRollback: {}, now }).thenThrows(InvalidStateError);
    expect(new RollbackDisabledError('x')).toMatchObject({ status: 400, code: 'rollback_disabled' });
  });
});
