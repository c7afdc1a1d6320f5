import { EventKind } from '@streamplane/core';

export const FLEET_EVENT_KINDS: EventKind[] = [
  { type: 'ClusterCreated', version: 1, description: 'A cluster was created with its media-node image version' },
  { type: 'ClusterUpdated', version: 1, description: 'A cluster was renamed or given a new token' },
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
  { type: 'InstanceSlotTaken', version: 1, description: "An instance took one of its workspace's slots" },
  { type: 'InstanceSlotReleased', version: 1, description: 'An archived instance gave its slot back' },
];
