import { InvalidStateError, NotFoundError } from '@streamplane/core';
import { deciderSpec } from '@streamplane/testing';
import { assertNotBlocked, deployBlockDecider, DeployBlockedError } from './deploy-block.decider';
import { DeployBlockEvent } from './deploy-block.events';

const now = new Date('2026-11-27T10:00:00.000Z');
const at = now.toISOString();
const placed: DeployBlockEvent = { type: 'DeployBlockPlaced', data: { block_id: 'b1', workspace_id: 'w1', cluster_id: null, reason: 'freeze', at } };
const place = { type: 'Place' as const, blockId: 'b1', workspaceId: 'w1', clusterId: null, reason: 'freeze', now };

describe('deploy block decider', () => {
  const spec = deciderSpec(deployBlockDecider);

  it('places a freeze once, and lifts it once (a lifted one is gone)', () => {
    spec.given([]).when(place).then([placed]);
    spec.given([placed]).when(place).thenThrows(InvalidStateError);
    spec.given([placed]).when({ type: 'Lift', now }).then([{ type: 'DeployBlockLifted', data: { at } }]);
    spec.given([placed, { type: 'DeployBlockLifted', data: { at } }]).when({ type: 'Lift', now }).thenThrows(NotFoundError);
    spec.given([]).when({ type: 'Lift', now }).thenThrows(NotFoundError);
  });

  it('refuses a deploy with a 409 naming the freeze and its reason while one holds', () => {
    expect(() => assertNotBlocked(undefined)).not.toThrow();
    expect(() => assertNotBlocked({ id: 'b1', reason: 'black friday', cluster_id: 'c1' })).toThrow(DeployBlockedError);
    expect(() => assertNotBlocked({ id: 'b1', reason: 'black friday', cluster_id: 'c1' })).toThrow(/cluster c1 \(deploy block b1: black friday\)/);
    expect(new DeployBlockedError('x')).toMatchObject({ status: 409, code: 'deploy_blocked' });
  });
});
