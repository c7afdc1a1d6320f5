import { InstanceEvent } from '@streamplane/fleet';
import { StreamEvent } from '@streamplane/streams';

/** What an event does to a subject's metered run. */
export type RunBoundary = 'start' | 'end';
/** A boundary, or a function of the event's data when the event may start a run or not. */
export type BoundaryOf<E extends { type: string; data: unknown }> = RunBoundary | null | ((data: E['data']) => RunBoundary | null);
type Boundaries<E extends { type: string; data: unknown }> = { [Type in E['type']]: BoundaryOf<Extract<E, { type: Type }>> };

/**
 * An instance is metered while it is `running`: from the moment it answers until anything moves it
 * out of that state, or its host stops reporting (a lost unit records its last stretch at once).
 * Every instance event is listed, so a new one does not compile until it is placed here.
 */
export const INSTANCE_RUNS: Boundaries<InstanceEvent> = {
  InstanceProvisioned: 'start',
  InstanceHostReturned: 'start',
  InstanceStopRequested: 'end',
  InstanceStopped: 'end',
  InstanceRestartRequested: 'end',
  InstanceCrashed: 'end',
  InstanceDeleteRequested: 'end',
  InstanceArchived: 'end',
  InstanceProvisioningFailed: 'end',
  InstanceHostLost: 'end',
  DeployRequested: 'end',
  DeployStarted: 'end',
  DeployFailed: 'end',
  // A queued deploy's cancel gives a running instance its status back: its process never stopped.
  DeployCancelled: (data) => (data.status === 'running' ? 'start' : null),
  InstanceRequested: null,
  InstanceProvisioningStarted: null,
  InstanceStartRequested: null,
  InstanceReconfigured: null,
  InstanceLabelled: null,
  InstanceHealingStarted: null,
  DeployCompleted: null,
  InstanceEnvChanged: null,
  InstanceRequestAbandoned: null,
};

/** A stream is metered while it is `in_progress`: from a handler's take until anything ends the lease. */
export const STREAM_RUNS: Boundaries<StreamEvent> = {
  StreamTaken: 'start',
  StreamCompleted: 'end',
  StreamFailed: 'end',
  StreamHandlerLost: 'end',
  StreamRestartRequested: 'end',
  StreamPaused: 'end',
  StreamCancelled: 'end',
  StreamDeleted: 'end',
  StreamReplaced: 'end',
  StreamCreated: null,
  StreamQueued: null,
  StreamUpdated: null,
  StreamResumed: null,
  StreamHeartbeat: null,
};

/** The event types that start or end a run, for the tracker's subscription. */
export const RUN_EVENT_TYPES = [...Object.entries(INSTANCE_RUNS), ...Object.entries(STREAM_RUNS)].filter(([, boundary]) => boundary).map(([type]) => type);
