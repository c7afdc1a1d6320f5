import { EventKind } from '@streamplane/core';

export const FLEET_EVENT_KINDS: EventKind[] = [
  { type: 'ClusterCreated', version: 1, description: 'A cluster was created with its media-node image version' },
  { type: 'ClusterUpdated', version: 1, description: 'A cluster was renamed or given a new token' },
  { type: 'ClusterImageChanged', version: 1, description: "A cluster's image version changed (rolled out to its instances)" },
  { type: 'ClusterDeleted', version: 1, description: 'A cluster was deleted' },
];
