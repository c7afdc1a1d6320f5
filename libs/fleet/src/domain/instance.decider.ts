import { Aggregate, ConflictError, Decider, DomainError, InvalidStateError, NotFoundError, ValidationError } from '@streamplane/core/domain';
import { CancelDeploy, decideCancel, DeployRecord, withPhase } from './deploy-cancel';
import { assertSettableEnv } from './env-names';
import { InstanceConfig, InstanceEvent, instanceStreams, OnHost } from './instance.events';

export const INSTANCE_STATUSES = ['pending', 'provisioning', 'running', 'stopping', 'stopped', 'failed', 'deleting', 'archived'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

export type InstanceAction = 'provision' | 'stop' | 'start' | 'restart' | 'reconfigure' | 'delete' | 'deploy' | 'change_env' | 'label';

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
  // A stopped instance records the deploy and runs it at its next start.
  deploy: ['running', 'stopped', 'failed'],
  change_env: ['running', 'stopped', 'failed'],
  // Labels are how people find an instance, whatever it is doing; they never touch its process.
  label: ['pending', 'provisioning', 'running', 'stopping', 'stopped', 'failed', 'deleting'],
};

/** Not archived: counts against the workspace's instance limit and blocks deleting its cluster. */
export const ACTIVE_STATUSES: readonly InstanceStatus[] = INSTANCE_STATUSES.filter((s) => s !== 'archived');

export type InstanceCommand =
  | { type: 'Request'; instanceId: string; workspaceId: string; config: InstanceConfig; now: Date }
  /** Closes the stream of a request that took a slot and never wrote its instance, so it cannot come late. */
  | { type: 'Abandon'; now: Date }
  /** The worker host `host` begins (or resumes, after a crash) bringing the instance up. */
  | { type: 'BeginProvisioning'; host: string; now: Date }
  | { type: 'ReportProvisioned'; endpoint: string; host: string; now: Date }
  /** Another host's check found the instance's host silent past the limit. */
  | { type: 'ReportHostLost'; host: string; now: Date }
  /** Its own host, back, found it alive. */
  | { type: 'ReportHostReturned'; host: string; now: Date }
  | { type: 'ReportFailed'; error: string; now: Date }
  | { type: 'ReportStopped'; now: Date }
  | { type: 'ReportArchived'; now: Date }
  /** The health check found a running instance dead; heal it while attempts remain. */
  | { type: 'ReportCrashed'; error: string; maxHeals: number; now: Date }
  | { type: 'Stop'; now: Date }
  | { type: 'Start'; now: Date }
  | { type: 'Restart'; now: Date }
  /** Labels given beside a placement change are written with it, in one append. */
  | { type: 'Reconfigure'; machineType?: string; location?: string; routingKey?: string | null; labels?: InstanceLabels; now: Date }
  | { type: 'Label'; labels: InstanceLabels; now: Date }
  | { type: 'Delete'; now: Date }
  | { type: 'Deploy'; deployId: string; imageVersion: string; kind: 'deploy' | 'rollout'; now: Date }
  /** To the named deploy's version, or else to the version that succeeded before the current one. */
  /** `retiredVersions`: the catalog's, which a rollback may not go back to (absent: none); `noRollback`: the versions its cluster marked, with their reasons. */
  | { type: 'Rollback'; deployId: string; toDeployId?: string; retiredVersions?: string[]; noRollback?: Record<string, string>; now: Date }
  /** `sealed`: secret values, already sealed by the caller (the decider never sees them in clear). */
  | { type: 'ChangeEnv'; set: Record<string, string>; sealed?: Record<string, string>; unset: string[]; restart: boolean; now: Date }
  | CancelDeploy;

/** What a client may name an instance by: absent fields stay as they are; `name: null` clears it. */
export interface InstanceLabels {
  name?: string | null;
  description?: string;
  tags?: string[];
}

export interface InstanceState {
  status: 'none' | InstanceStatus;
  /** Its request died after taking a slot; the stream is closed (status stays none). */
  abandoned: boolean;
  workspaceId?: string;
  config?: InstanceConfig;
  /**
   * The worker host its process may be on, so the only one whose jobs may act on it: set when a
   * host begins provisioning it, cleared once it is stopped or archived (no process anywhere). Null
   * also for instances from before hosts were recorded.
   */
  host: string | null;
  hostLost: boolean;
  description: string;
  tags: string[];
  /** Healing attempts since a client last (re)started it. */
  heals: number;
  env: Record<string, string>;
  /** Secret variables, sealed; only the worker opens them, to start the process. A name is in env or here, not both. */
  sealedEnv: Record<string, string>;
  /** The deploy the next provisioning carries out, if a deploy asked for it. */
  pendingDeploy: string | null;
  deploys: Record<string, DeployRecord>;
  /** The status a queued deploy moved the instance from, so canceling it can give that back. */
  statusBeforeDeploy: InstanceStatus | null;
  /** Versions in the order they came up successfully; the last one runs. */
  succeeded: string[];
}

/**
 * Its worker host stopped reporting, so nobody can act on its process: another host would start
 * a second copy or "stop" nothing. Not a 400: the status allows the action, which works again
 * once the host is back.
 */
export class HostLostError extends DomainError {
  readonly status = 409;
  readonly code = 'host_lost';
}

/** The version a rollback would go back to was marked not to be (Tsuru's disabled rollback). */
export class RollbackDisabledError extends DomainError {
  readonly status = 400;
  readonly code = 'rollback_disabled';
}

/** The `host` field of a request event: its job goes to the queue of that host. */
const onHost = (state: InstanceState): OnHost => (state.host ? { host: state.host } : {});

/** Refuses actions on the process of an instance whose host is lost (they would act elsewhere). */
function ensureHostReachable(state: InstanceState): void {
  if (state.hostLost) throw new HostLostError(`its worker host ${state.host} stopped reporting; nothing can act on its process until that host is back`);
}

/** The InstanceLabelled event of the labels that differ from the state's; none when nothing changes. */
function labelled(labels: InstanceLabels | undefined, state: InstanceState, at: string): InstanceEvent[] {
  if (!labels) return [];
  const tags = labels.tags && [...new Set(labels.tags)];
  const changes = {
    ...(labels.name !== undefined && labels.name !== state.config!.name && { name: labels.name }),
    ...(labels.description !== undefined && labels.description !== state.description && { description: labels.description }),
    ...(tags && tags.join('\n') !== state.tags.join('\n') && { tags }),
  };
  return Object.keys(changes).length ? [{ type: 'InstanceLabelled', data: { ...changes, at } }] : [];
}

function ensure(action: InstanceAction, state: InstanceState): void {
  if (state.status === 'none' || state.status === 'archived') throw new NotFoundError('no such instance');
  if (!INSTANCE_ALLOWED_FROM[action].includes(state.status)) throw new InvalidStateError(`an instance that is ${state.status} cannot ${action}`);
}

export const instanceDecider: Decider<InstanceCommand, InstanceEvent, InstanceState> = {
  initialState: () => ({ status: 'none', abandoned: false, host: null, hostLost: false, description: '', tags: [], heals: 0, env: {}, sealedEnv: {}, pendingDeploy: null, deploys: {}, statusBeforeDeploy: null, succeeded: [] }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'InstanceRequested': {
        const { instance_id: _id, workspace_id, at: _at, ...config } = event.data;
        return { ...state, status: 'pending', workspaceId: workspace_id, config: config as InstanceConfig };
      }
      case 'InstanceProvisioningStarted':
        return { ...state, status: 'provisioning', host: event.data.host ?? state.host, config: { ...state.config!, image_version: event.data.image_version } };
      case 'InstanceProvisioned': {
        const last = state.succeeded[state.succeeded.length - 1];
        const succeeded = last === event.data.image_version ? state.succeeded : [...state.succeeded, event.data.image_version];
        return { ...state, status: 'running', succeeded, host: event.data.host ?? null, hostLost: false };
      }
      case 'InstanceProvisioningFailed':
        return { ...state, status: 'failed' };
      case 'DeployStarted':
        return { ...state, statusBeforeDeploy: null, deploys: withPhase(state.deploys, event.data.deploy_id, { phase: 'running' }) };
      case 'DeployCompleted':
        return { ...state, pendingDeploy: null, deploys: withPhase(state.deploys, event.data.deploy_id, { succeeded: true, phase: 'finished' }) };
      case 'DeployFailed':
        return { ...state, pendingDeploy: null, deploys: withPhase(state.deploys, event.data.deploy_id, { phase: 'finished' }) };
      case 'DeployCancelled': {
        const deploys = withPhase(state.deploys, event.data.deploy_id, { phase: 'finished' });
        const config = { ...state.config!, image_version: event.data.image_version };
        return { ...state, status: event.data.status as InstanceStatus, pendingDeploy: null, statusBeforeDeploy: null, deploys, config };
      }
      case 'DeployRequested': {
        // A deploy still queued when a newer one arrives will never run (a stopped instance's).
        const superseded = withPhase(state.deploys, state.pendingDeploy, { phase: 'finished' });
        const deploys = { ...superseded, [event.data.deploy_id]: { version: event.data.image_version, from: event.data.from_version, succeeded: false, phase: 'queued' as const } };
        const status = state.status === 'stopped' ? 'stopped' : 'pending';
        const statusBeforeDeploy = state.status === 'stopped' ? null : (state.status as InstanceStatus);
        return { ...state, status, deploys, statusBeforeDeploy, pendingDeploy: event.data.deploy_id, config: { ...state.config!, image_version: event.data.image_version } };
      }
      case 'InstanceEnvChanged': {
        const sealed = event.data.sealed ?? {};
        const env = { ...state.env, ...event.data.set };
        const sealedEnv = { ...state.sealedEnv, ...sealed };
        for (const name of Object.keys(sealed)) delete env[name];
        for (const name of Object.keys(event.data.set)) delete sealedEnv[name];
        for (const name of event.data.unset) {
          delete env[name];
          delete sealedEnv[name];
        }
        return { ...state, env, sealedEnv };
      }
      case 'InstanceStopRequested':
        return { ...state, status: 'stopping' };
      case 'InstanceStopped':
        return { ...state, status: 'stopped', host: null };
      case 'InstanceStartRequested':
      case 'InstanceRestartRequested':
        return { ...state, status: 'pending', heals: 0, statusBeforeDeploy: null };
      case 'InstanceCrashed':
        // Only its own host reports a crash: that host is back.
        return { ...state, status: 'failed', hostLost: false };
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
      case 'InstanceLabelled': {
        const { name, description, tags } = event.data;
        return {
          ...state,
          config: { ...state.config!, name: name === undefined ? state.config!.name : name },
          description: description ?? state.description,
          tags: tags ?? state.tags,
        };
      }
      case 'InstanceDeleteRequested':
        return { ...state, status: 'deleting', statusBeforeDeploy: null };
      case 'InstanceArchived':
        return { ...state, status: 'archived', host: null };
      case 'InstanceRequestAbandoned':
        return { ...state, abandoned: true };
      case 'InstanceHostLost':
        return { ...state, hostLost: true };
      case 'InstanceHostReturned':
        return { ...state, hostLost: false };
    }
  },

  decide: (command, state) => {
    const at = command.now.toISOString();
    switch (command.type) {
      case 'Request':
        if (state.abandoned) throw new ConflictError('this request took too long and was given up; send it again (with a new Idempotency-Key)');
        if (state.status !== 'none') throw new InvalidStateError('this instance already exists');
        return [{ type: 'InstanceRequested', data: { instance_id: command.instanceId, workspace_id: command.workspaceId, ...command.config, at } }];
      case 'Abandon':
        return state.status === 'none' && !state.abandoned ? [{ type: 'InstanceRequestAbandoned', data: { at } }] : [];
      case 'BeginProvisioning':
        // A job run twice (a worker died mid-deploy) finds the instance provisioning: nothing to add.
        // (The job then sees which host the state names, and hands itself over if not its own.)
        if (state.status === 'provisioning') return [];
        ensure('provision', state);
        return [
          { type: 'InstanceProvisioningStarted', data: { image_version: state.config!.image_version, host: command.host, at } },
          ...(state.pendingDeploy ? [{ type: 'DeployStarted' as const, data: { deploy_id: state.pendingDeploy, at } }] : []),
        ];
      case 'ReportProvisioned':
        if (state.status !== 'provisioning') return []; // deleted or stopped meanwhile: the job's report is moot
        return [
          { type: 'InstanceProvisioned', data: { endpoint: command.endpoint, image_version: state.config!.image_version, host: command.host, at } },
          ...(state.pendingDeploy ? [{ type: 'DeployCompleted' as const, data: { deploy_id: state.pendingDeploy, at } }] : []),
        ];
      case 'ReportFailed':
        if (state.status !== 'provisioning') return [];
        return [
          { type: 'InstanceProvisioningFailed', data: { error: command.error, at } },
          ...(state.pendingDeploy ? [{ type: 'DeployFailed' as const, data: { deploy_id: state.pendingDeploy, error: command.error, at } }] : []),
        ];
      case 'Deploy':
        if (state.deploys[command.deployId]) return []; // a rollout job run twice
        ensure('deploy', state);
        ensureHostReachable(state);
        return [{ type: 'DeployRequested', data: { deploy_id: command.deployId, image_version: command.imageVersion, kind: command.kind, from_version: state.config!.image_version, ...onHost(state), at } }];
      case 'Rollback': {
        ensure('deploy', state);
        ensureHostReachable(state);
        let version: string | undefined;
        const retired = command.retiredVersions ?? [];
        if (command.toDeployId !== undefined) {
          const target = state.deploys[command.toDeployId];
          if (!target) throw new NotFoundError('no such deploy of this instance');
          if (!target.succeeded) throw new InvalidStateError('that deploy never succeeded; roll back to one that did');
          if (retired.includes(target.version)) throw new ValidationError(`the version of that deploy, ${target.version}, has been retired`, [{ field: 'deploy_id', message: `its version ${target.version} has been retired` }]);
          version = target.version;
        } else {
          const current = state.config!.image_version;
          version = [...state.succeeded].reverse().find((v) => v !== current && !retired.includes(v));
          if (!version) throw new InvalidStateError('there is no earlier version that ran successfully, and is not retired, to roll back to');
        }
        const marked = command.noRollback?.[version];
        if (marked !== undefined) throw new RollbackDisabledError(`version ${version} is marked not to be rolled back to in this cluster (${marked}); roll back to another deploy (deploy_id), or deploy a version`);
        return [{ type: 'DeployRequested', data: { deploy_id: command.deployId, image_version: version, kind: 'rollback', from_version: state.config!.image_version, ...onHost(state), at } }];
      }
      case 'CancelDeploy':
        if (state.status === 'none') throw new NotFoundError('no such deploy');
        return decideCancel(command, state);
      case 'ChangeEnv': {
        ensure('change_env', state);
        // Unsetting a reserved name stays allowed: it is how an old one (from before the rule) is removed.
        const sealed = command.sealed ?? {};
        assertSettableEnv([...Object.keys(command.set), ...Object.keys(sealed)]);
        const both = Object.keys(sealed).filter((name) => name in command.set);
        if (both.length) throw new InvalidStateError(`${both.join(', ')} cannot be both secret and in clear in one change`);
        const changed: InstanceEvent = { type: 'InstanceEnvChanged', data: { set: command.set, unset: command.unset, ...(Object.keys(sealed).length && { sealed }), at } };
        const restart = command.restart && (state.status === 'running' || state.status === 'failed');
        // Without a restart it is only data for the next start, which any state may record.
        if (restart) ensureHostReachable(state);
        return restart ? [changed, { type: 'InstanceRestartRequested', data: { ...onHost(state), at } }] : [changed];
      }
      case 'ReportHostLost':
        // Only about the host it runs on now: a report that raced a redeploy elsewhere is moot.
        return state.status === 'running' && state.host === command.host && !state.hostLost ? [{ type: 'InstanceHostLost', data: { host: command.host, at } }] : [];
      case 'ReportHostReturned':
        return state.hostLost && state.host === command.host ? [{ type: 'InstanceHostReturned', data: { host: command.host, at } }] : [];
      case 'ReportStopped':
        return state.status === 'stopping' ? [{ type: 'InstanceStopped', data: { at } }] : [];
      case 'ReportArchived':
        return state.status === 'deleting' ? [{ type: 'InstanceArchived', data: { routing_key: state.config!.routing_key, at } }] : [];
      case 'ReportCrashed': {
        if (state.status !== 'running') return []; // stopped or redeployed since the check looked
        const crashed: InstanceEvent = { type: 'InstanceCrashed', data: { error: command.error, at } };
        if (state.heals >= command.maxHeals) return [crashed];
        return [crashed, { type: 'InstanceHealingStarted', data: { attempt: state.heals + 1, max_attempts: command.maxHeals, ...onHost(state), at } }];
      }
      case 'Stop':
        ensure('stop', state);
        ensureHostReachable(state);
        return [{ type: 'InstanceStopRequested', data: { ...onHost(state), at } }];
      case 'Start':
        ensure('start', state);
        ensureHostReachable(state);
        // A stopped instance has no host (no process anywhere): any host may start it.
        return [{ type: 'InstanceStartRequested', data: { ...onHost(state), at } }];
      case 'Restart':
        ensure('restart', state);
        ensureHostReachable(state);
        return [{ type: 'InstanceRestartRequested', data: { ...onHost(state), at } }];
      case 'Reconfigure': {
        ensure('reconfigure', state);
        const changes = {
          ...(command.machineType !== undefined && { machine_type: command.machineType }),
          ...(command.location !== undefined && { location: command.location }),
          ...(command.routingKey !== undefined && { routing_key: command.routingKey, previous_routing_key: state.config!.routing_key }),
        };
        const reconfigured: InstanceEvent[] = Object.keys(changes).length ? [{ type: 'InstanceReconfigured', data: { ...changes, at } }] : [];
        return [...reconfigured, ...labelled(command.labels, state, at)];
      }
      case 'Label':
        ensure('label', state);
        return labelled(command.labels, state, at);
      case 'Delete':
        ensure('delete', state);
        ensureHostReachable(state);
        return [{ type: 'InstanceDeleteRequested', data: { ...onHost(state), at } }];
    }
  },
};

/** Instances: one stream each, of one workspace (a foreign id is a 404). */
export const instances: Aggregate<InstanceCommand, InstanceEvent, InstanceState> = { category: instanceStreams, decider: instanceDecider, noun: 'instance' };
