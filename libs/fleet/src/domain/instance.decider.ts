import { Decider, DomainEvent, InvalidStateError, NotFoundError } from '@streamplane/core';

export const INSTANCE_STATUSES = ['pending', 'provisioning', 'running', 'stopping', 'stopped', 'failed', 'deleting', 'archived'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

export type InstanceAction = 'provision' | 'stop' | 'start' | 'restart' | 'reconfigure' | 'delete';

/**
 * The transition table: the statuses each client action may start from; anything else is a 400.
 * The worker's reports (provisioned, failed, stopped, archived) follow the action they answer.
 */
export const INSTANCE_ALLOWED_FROM: Record<InstanceAction, readonly InstanceStatus[]> = {
  provision: ['pending', 'provisioning'],
  stop: ['running'],
  start: ['stopped', 'failed'],
  restart: ['running', 'failed'],
  reconfigure: ['running', 'stopped', 'failed'],
  delete: ['pending', 'provisioning', 'running', 'stopping', 'stopped', 'failed'],
};

/** Not archived: counts against the workspace's instance limit and blocks deleting its cluster. */
export const ACTIVE_STATUSES: readonly InstanceStatus[] = INSTANCE_STATUSES.filter((s) => s !== 'archived');

export interface InstanceConfig {
  [key: string]: string | null;
  cluster_id: string;
  name: string | null;
  machine_type: string;
  location: string;
  routing_key: string | null;
  image_version: string;
}

type At = { at: string };

export type InstanceEvent =
  | DomainEvent<'InstanceRequested', At & InstanceConfig & { instance_id: string; workspace_id: string }>
  | DomainEvent<'InstanceProvisioningStarted', At & { image_version: string }>
  | DomainEvent<'InstanceProvisioned', At & { endpoint: string; image_version: string }>
  | DomainEvent<'InstanceProvisioningFailed', At & { error: string }>
  | DomainEvent<'InstanceStopRequested', At>
  | DomainEvent<'InstanceStopped', At>
  | DomainEvent<'InstanceStartRequested', At>
  | DomainEvent<'InstanceRestartRequested', At>
  | DomainEvent<'InstanceReconfigured', At & { machine_type?: string; location?: string; routing_key?: string | null; previous_routing_key?: string | null }>
  | DomainEvent<'InstanceDeleteRequested', At>
  | DomainEvent<'InstanceArchived', At & { routing_key: string | null }>
  | DomainEvent<'InstanceCrashed', At & { error: string }>
  | DomainEvent<'InstanceHealingStarted', At & { attempt: number; max_attempts: number }>;

export type InstanceCommand =
  | { type: 'Request'; instanceId: string; workspaceId: string; config: InstanceConfig; now: Date }
  /** The worker begins (or resumes, after a crash) bringing the instance up. */
  | { type: 'BeginProvisioning'; now: Date }
  | { type: 'ReportProvisioned'; endpoint: string; now: Date }
  | { type: 'ReportFailed'; error: string; now: Date }
  | { type: 'ReportStopped'; now: Date }
  | { type: 'ReportArchived'; now: Date }
  /** The health check found a running instance dead; heal it while attempts remain. */
  | { type: 'ReportCrashed'; error: string; maxHeals: number; now: Date }
  | { type: 'Stop'; now: Date }
  | { type: 'Start'; now: Date }
  | { type: 'Restart'; now: Date }
  | { type: 'Reconfigure'; machineType?: string; location?: string; routingKey?: string | null; now: Date }
  | { type: 'Delete'; now: Date };

export interface InstanceState {
  status: 'none' | InstanceStatus;
  workspaceId?: string;
  config?: InstanceConfig;
  /** Healing attempts since a client last (re)started it. */
  heals: number;
}

export const instanceStream = (instanceId: string) => `instance-${instanceId}`;

function ensure(action: InstanceAction, state: InstanceState): void {
  if (state.status === 'none' || state.status === 'archived') throw new NotFoundError('no such instance');
  if (!INSTANCE_ALLOWED_FROM[action].includes(state.status)) throw new InvalidStateError(`an instance that is ${state.status} cannot ${action}`);
}

export const instanceDecider: Decider<InstanceCommand, InstanceEvent, InstanceState> = {
  initialState: () => ({ status: 'none', heals: 0 }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'InstanceRequested': {
        const { instance_id: _id, workspace_id, at: _at, ...config } = event.data;
        return { status: 'pending', workspaceId: workspace_id, config: config as InstanceConfig, heals: 0 };
      }
      case 'InstanceProvisioningStarted':
        return { ...state, status: 'provisioning', config: { ...state.config!, image_version: event.data.image_version } };
      case 'InstanceProvisioned':
        return { ...state, status: 'running' };
      case 'InstanceProvisioningFailed':
        return { ...state, status: 'failed' };
      case 'InstanceStopRequested':
        return { ...state, status: 'stopping' };
      case 'InstanceStopped':
        return { ...state, status: 'stopped' };
      case 'InstanceStartRequested':
      case 'InstanceRestartRequested':
        return { ...state, status: 'pending', heals: 0 };
      case 'InstanceCrashed':
        return { ...state, status: 'failed' };
      case 'InstanceHealingStarted':
        return { ...state, status: 'pending', heals: event.data.attempt };
      case 'InstanceReconfigured': {
        const { machine_type, location, routing_key } = event.data;
        const config = state.config!;
        return {
          ...state,
          config: { ...config, machine_type: machine_type ?? config.machine_type, location: location ?? config.location, routing_key: routing_key === undefined ? config.routing_key : routing_key },
        };
      }
      case 'InstanceDeleteRequested':
        return { ...state, status: 'deleting' };
      case 'InstanceArchived':
        return { ...state, status: 'archived' };
    }
  },

  decide: (command, state) => {
    const at = command.now.toISOString();
    switch (command.type) {
      case 'Request':
        if (state.status !== 'none') throw new InvalidStateError('this instance already exists');
        return [{ type: 'InstanceRequested', data: { instance_id: command.instanceId, workspace_id: command.workspaceId, ...command.config, at } }];
      case 'BeginProvisioning':
        // A job run twice (a worker died mid-deploy) finds the instance provisioning: nothing to add.
        if (state.status === 'provisioning') return [];
        ensure('provision', state);
        return [{ type: 'InstanceProvisioningStarted', data: { image_version: state.config!.image_version, at } }];
      case 'ReportProvisioned':
        if (state.status !== 'provisioning') return []; // deleted or stopped meanwhile: the job's report is moot
        return [{ type: 'InstanceProvisioned', data: { endpoint: command.endpoint, image_version: state.config!.image_version, at } }];
      case 'ReportFailed':
        if (state.status !== 'provisioning') return [];
        return [{ type: 'InstanceProvisioningFailed', data: { error: command.error, at } }];
      case 'ReportStopped':
        return state.status === 'stopping' ? [{ type: 'InstanceStopped', data: { at } }] : [];
      case 'ReportArchived':
        return state.status === 'deleting' ? [{ type: 'InstanceArchived', data: { routing_key: state.config!.routing_key, at } }] : [];
      case 'ReportCrashed': {
        if (state.status !== 'running') return []; // stopped or redeployed since the check looked
        const crashed: InstanceEvent = { type: 'InstanceCrashed', data: { error: command.error, at } };
        if (state.heals >= command.maxHeals) return [crashed];
        return [crashed, { type: 'InstanceHealingStarted', data: { attempt: state.heals + 1, max_attempts: command.maxHeals, at } }];
      }
      case 'Stop':
        ensure('stop', state);
        return [{ type: 'InstanceStopRequested', data: { at } }];
      case 'Start':
        ensure('start', state);
        return [{ type: 'InstanceStartRequested', data: { at } }];
      case 'Restart':
        ensure('restart', state);
        return [{ type: 'InstanceRestartRequested', data: { at } }];
      case 'Reconfigure': {
        ensure('reconfigure', state);
        const changes = {
          ...(command.machineType !== undefined && { machine_type: command.machineType }),
          ...(command.location !== undefined && { location: command.location }),
          ...(command.routingKey !== undefined && { routing_key: command.routingKey, previous_routing_key: state.config!.routing_key }),
        };
        return Object.keys(changes).length ? [{ type: 'InstanceReconfigured', data: { ...changes, at } }] : [];
      }
      case 'Delete':
        ensure('delete', state);
        return [{ type: 'InstanceDeleteRequested', data: { at } }];
    }
  },
};
