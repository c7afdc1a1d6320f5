import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';

/** `instance-<id>`: one stream per instance. */
export const instanceStreams = streamCategory('instance');

export type DeployKind = 'deploy' | 'rollback' | 'rollout';

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
/**
 * On events whose deploy job acts on the instance's process: the worker host that may run it,
 * whose own queue gets the job (absent: none does, or from before jobs were routed; any host).
 */
export type OnHost = { host?: string };

/** An instance's events: its lifecycle, its deploys, its environment and its worker host. */
export const instanceEvents = defineEvents(instanceStreams, {
  InstanceRequested: { description: 'An instance was requested in a cluster (pending)', payload: payload<At & InstanceConfig & { instance_id: string; workspace_id: string }>() },
  /** `host`: the worker host that took the job; from now on its process may be there. */
  InstanceProvisioningStarted: { description: 'A deploy job began bringing the instance up', payload: payload<At & { image_version: string; host?: string }>() },
  /** `host`: the worker host that runs it (absent in events from before hosts were recorded). */
  InstanceProvisioned: { description: 'The instance runs and answers at its endpoint', payload: payload<At & { endpoint: string; image_version: string; host?: string }>() },
  InstanceProvisioningFailed: { description: 'The instance could not be brought up', payload: payload<At & { error: string }>() },
  InstanceStopRequested: { description: 'A stop was asked for', payload: payload<At & OnHost>() },
  InstanceStopped: { description: "The instance's process is stopped", payload: payload<At>() },
  InstanceStartRequested: { description: 'A start was asked for', payload: payload<At & OnHost>() },
  InstanceRestartRequested: { description: 'A restart was asked for', payload: payload<At & OnHost>() },
  InstanceReconfigured: {
    description: "The instance's machine type, location or routing key changed",
    payload: payload<At & { machine_type?: string; location?: string; routing_key?: string | null; previous_routing_key?: string | null }>(),
  },
  /** Only the labels given that changed; never touches the process (no restart, no deploy job). */
  InstanceLabelled: {
    description: "The instance's name, description or tags changed (what people call and find it by)",
    payload: payload<At & { name?: string | null; description?: string; tags?: string[] }>(),
  },
  InstanceDeleteRequested: { description: 'A delete was asked for (deleting)', payload: payload<At & OnHost>() },
  InstanceArchived: { description: 'The instance is gone; its slot and routing key are free', payload: payload<At & { routing_key: string | null }>() },
  InstanceCrashed: { description: 'The health check found a running instance dead', payload: payload<At & { error: string }>() },
  InstanceHealingStarted: { description: 'A crashed instance is being brought back (one attempt of a bounded number)', payload: payload<At & OnHost & { attempt: number; max_attempts: number }>() },
  DeployRequested: {
    description: 'A deploy (or rollback, or cluster rollout) of an image version was asked for',
    payload: payload<At & OnHost & { deploy_id: string; image_version: string; kind: DeployKind; from_version: string }>(),
  },
  DeployStarted: { description: 'A deploy job began replacing the instance with the deploy’s version', payload: payload<At & { deploy_id: string }>() },
  DeployCompleted: { description: 'The deploy’s version runs', payload: payload<At & { deploy_id: string }>() },
  DeployFailed: { description: 'The deploy’s version could not be brought up', payload: payload<At & { deploy_id: string; error: string }>() },
  /**
   * `phase`: where the deploy was when it was cancelled. `status` and `image_version`: the
   * instance's afterwards (a queued deploy gives back the status it took; a running one leaves
   * the instance pending, for its job to bring `image_version`, the one before, back up).
   */
  DeployCancelled: {
    description: 'A queued or running deploy was cancelled; the instance goes back to the version it had',
    payload: payload<At & { deploy_id: string; reason: string; phase: 'queued' | 'running'; status: string; image_version: string }>(),
  },
  /** `set`: values in clear; `sealed`: secret values, sealed under the workspace's data key (absent before secrets existed). */
  InstanceEnvChanged: {
    description: "The instance's environment variables were set or unset; secret values are sealed (`sealed`), never in clear",
    payload: payload<At & { set: Record<string, string>; unset: string[]; sealed?: Record<string, string> }>(),
    sealed: ['sealed.*'],
  },
  /** Its worker host stopped beating; nobody else can see the process, so it is reported, not healed. */
  InstanceHostLost: { description: 'The worker host running the instance stopped reporting; the instance is reported, not started elsewhere', payload: payload<At & { host: string }>() },
  InstanceHostReturned: { description: 'The worker host running the instance reports again and found it alive', payload: payload<At & { host: string }>() },
  /** Written instead of InstanceRequested when the request that took its slot died before writing it. */
  InstanceRequestAbandoned: { description: 'A request took a slot but never wrote its instance; its stream is closed so it cannot come late', payload: payload<At>() },
});

export type InstanceEvent = EventOf<typeof instanceEvents>;
