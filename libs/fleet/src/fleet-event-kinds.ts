import { LegacyEventKind } from '@streamplane/core';
import { JsonObject } from '@streamplane/eventstore';
import { upcastClusterToken } from './domain/cluster.decider';

const tokenToHash = (data: JsonObject) => upcastClusterToken(data) as JsonObject;

export const FLEET_EVENT_KINDS: LegacyEventKind[] = [
  { type: 'ClusterCreated', version: 2, description: 'A cluster was created with its media-node image version (and the SHA-256 of its token; version 1 held the token)', upcast: tokenToHash },
  { type: 'ClusterUpdated', version: 2, description: 'A cluster was renamed or given a new token (its SHA-256; version 1 held the token)', upcast: tokenToHash },
  { type: 'ClusterImageChanged', version: 1, description: "A cluster's image version changed (rolled out to its instances)" },
  { type: 'ClusterDeleted', version: 1, description: 'A cluster was deleted' },
  { type: 'InstanceRequested', version: 1, description: 'An instance was requested in a cluster (pending)' },
  { type: 'InstanceProvisioningStarted', version: 1, description: 'A deploy job began bringing the instance up' },
  { type: 'InstanceProvisioned', version: 1, description: 'The instance runs and answers at its endpoint' },
  { type: 'InstanceProvisioningFailed', version: 1, description: 'The instance could not be brought up' },
  { type: 'InstanceStopRequested', version: 1, description: 'A stop was asked for' },
  { type: 'InstanceStopped', version: 1, description: "The instance's process is stopped" },
  { type: 'InstanceStartRequested', version: 1, description: 'A start was asked for' },
  { type: 'InstanceRestartRequested', version: 1, description: 'A restart was asked for' },
  { type: 'InstanceReconfigured', version: 1, description: "The instance's machine type, location or routing key changed" },
  { type: 'InstanceDeleteRequested', version: 1, description: 'A delete was asked for (deleting)' },
  { type: 'InstanceArchived', version: 1, description: 'The instance is gone; its slot and routing key are free' },
  { type: 'InstanceCrashed', version: 1, description: 'The health check found a running instance dead' },
  { type: 'InstanceHealingStarted', version: 1, description: 'A crashed instance is being brought back (one attempt of a bounded number)' },
  { type: 'DeployRequested', version: 1, description: 'A deploy (or rollback, or cluster rollout) of an image version was asked for' },
  { type: 'DeployStarted', version: 1, description: 'A deploy job began replacing the instance with the deploy’s version' },
  { type: 'DeployCompleted', version: 1, description: 'The deploy’s version runs' },
  { type: 'DeployFailed', version: 1, description: 'The deploy’s version could not be brought up' },
  { type: 'InstanceEnvChanged', version: 1, description: "The instance's environment variables were set or unset; secret values are sealed (`sealed`), never in clear" },
  { type: 'InstanceSlotTaken', version: 1, description: "An instance took one of its workspace's slots" },
  { type: 'InstanceSlotReleased', version: 1, description: 'An archived instance gave its slot back' },
  { type: 'InstanceSlotReclaimed', version: 1, description: 'A slot whose request died before writing its instance was given back (after the grace period)' },
  { type: 'InstanceHostLost', version: 1, description: 'The worker host running the instance stopped reporting; the instance is reported, not started elsewhere' },
  { type: 'InstanceHostReturned', version: 1, description: 'The worker host running the instance reports again and found it alive' },
  { type: 'InstanceRequestAbandoned', version: 1, description: 'A request took a slot but never wrote its instance; its stream is closed so it cannot come late' },
];
