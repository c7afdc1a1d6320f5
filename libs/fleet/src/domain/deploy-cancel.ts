import { InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { InstanceEvent } from './instance.events';

/** Where a deploy is: waiting for its job, being carried out, or over (done, failed, cancelled, superseded). */
export type DeployPhase = 'queued' | 'running' | 'finished';

export interface DeployRecord {
  version: string;
  /** The version the instance had when it was asked for: what a cancel goes back to. */
  from: string;
  succeeded: boolean;
  phase: DeployPhase;
}

/** The part of an instance's state a cancel reads. */
export interface CancelableInstance {
  status: string;
  deploys: Record<string, DeployRecord>;
  /** The status the queued deploy took the instance from (running or failed), while nothing else moved it. */
  statusBeforeDeploy: string | null;
}

export type CancelDeploy = { type: 'CancelDeploy'; deployId: string; reason: string; now: Date };

/**
 * A queued deploy has not touched the process yet: the instance gets its status back and its job,
 * when it comes, finds nothing to do. A running one may have replaced the process already: the
 * instance goes back to pending with its previous version, so the job carrying it out (or its
 * rerun after a crash) brings that version back up instead of reporting the cancelled one.
 */
export function decideCancel(command: CancelDeploy, state: CancelableInstance): InstanceEvent[] {
  const deploy = state.deploys[command.deployId];
  if (!deploy) throw new NotFoundError('no such deploy');
  if (deploy.phase === 'finished') throw new InvalidStateError('this deploy has already finished; only a queued or running deploy can be cancelled');
  const status =
    deploy.phase === 'queued'
      ? state.status === 'pending' && state.statusBeforeDeploy
        ? state.statusBeforeDeploy
        : state.status
      : state.status === 'provisioning'
        ? 'pending'
        : state.status;
  return [{ type: 'DeployCancelled', data: { deploy_id: command.deployId, reason: command.reason, phase: deploy.phase, status, image_version: deploy.from, at: command.now.toISOString() } }];
}

/** Marks one deploy of the record. */
export const withPhase = (deploys: Record<string, DeployRecord>, id: string | null, change: Partial<DeployRecord>): Record<string, DeployRecord> =>
  id && deploys[id] ? { ...deploys, [id]: { ...deploys[id], ...change } } : deploys;
