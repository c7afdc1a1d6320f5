import { Aggregate, Decider, DomainError, InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { DeployBlockEvent, deployBlockStreams } from './deploy-block.events';

export type DeployBlockCommand =
  | { type: 'Place'; blockId: string; workspaceId: string; clusterId: string | null; reason: string; now: Date }
  | { type: 'Lift'; now: Date };

export interface DeployBlockState {
  status: 'none' | 'holding' | 'lifted';
  workspaceId?: string;
}

/** The freeze that holds, as a deploy's command carries it (found by its handler). */
export interface HoldingBlock {
  id: string;
  reason: string;
  cluster_id: string | null;
}

/** A deploy asked for while a freeze holds: a conflict with the workspace's state, not a bad request. */
export class DeployBlockedError extends DomainError {
  readonly status = 409;
  readonly code = 'deploy_blocked';
}

/** Refuses a deploy, rollback or rollout while a freeze holds. */
export function assertNotBlocked(block: HoldingBlock | undefined): void {
  if (!block) return;
  const scope = block.cluster_id ? `cluster ${block.cluster_id}` : 'this workspace';
  throw new DeployBlockedError(`deploys are blocked in ${scope} (deploy block ${block.id}: ${block.reason}); lift it with DELETE …/deploy-blocks/${block.id}`);
}

export const deployBlockDecider: Decider<DeployBlockCommand, DeployBlockEvent, DeployBlockState> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'DeployBlockPlaced':
        return { status: 'holding', workspaceId: event.data.workspace_id };
      case 'DeployBlockLifted':
        return { ...state, status: 'lifted' };
    }
  },
  decide: (command, state) => {
    const at = command.now.toISOString();
    switch (command.type) {
      case 'Place':
        if (state.status !== 'none') throw new InvalidStateError('this deploy block already exists');
        return [{ type: 'DeployBlockPlaced', data: { block_id: command.blockId, workspace_id: command.workspaceId, cluster_id: command.clusterId, reason: command.reason, at } }];
      case 'Lift':
        // Lifted is gone: a second DELETE finds nothing, as for any deleted entity.
        if (state.status !== 'holding') throw new NotFoundError('no such deploy block');
        return [{ type: 'DeployBlockLifted', data: { at } }];
    }
  },
};

/** Deploy blocks: one stream each, of one workspace (a foreign id is a 404). */
export const deployBlocks: Aggregate<DeployBlockCommand, DeployBlockEvent, DeployBlockState> = { category: deployBlockStreams, decider: deployBlockDecider, noun: 'deploy block' };
