// The fleet's public event catalogue: what projections and other contexts may know of its events.
// Pure (it reaches only `@streamplane/core/domain`), so importing it pulls in no Nest, pg or BullMQ.
import { catalogEvents } from './domain/catalog.events';
import { clusterEvents } from './domain/cluster.events';
import { deployBlockEvents } from './domain/deploy-block.events';
import { instanceEvents } from './domain/instance.events';
import { instanceSlotEvents } from './domain/instance-slots.events';

export { CATALOG_ID, catalogEvents, catalogStreams } from './domain/catalog.events';
export type { CatalogEvent, CatalogMachineType, CatalogVersion } from './domain/catalog.events';
export { clusterEvents, clusterStreams } from './domain/cluster.events';
export type { ClusterEvent } from './domain/cluster.events';
export { instanceEvents, instanceStreams } from './domain/instance.events';
export type { DeployKind, InstanceConfig, InstanceEvent, OnHost } from './domain/instance.events';
export { deployBlockEvents, deployBlockStreams } from './domain/deploy-block.events';
export type { DeployBlockEvent } from './domain/deploy-block.events';
export { instanceSlotEvents, instanceSlotStreams } from './domain/instance-slots.events';
export type { SlotEvent } from './domain/instance-slots.events';

/** Every event group of the fleet, as its module registers them. */
export const FLEET_EVENT_GROUPS = [catalogEvents, clusterEvents, instanceEvents, instanceSlotEvents, deployBlockEvents] as const;
