import { defineEvents, EventOf, payload, streamCategory } from '@streamplane/core/domain';

/** `catalog-platform`: the one stream of the platform's catalog of versions and machine types. */
export const catalogStreams = streamCategory('catalog');
export const CATALOG_ID = 'platform';

type At = { at: string };

export type CatalogVersion = { version: string; description: string; released_at: string };
export type CatalogMachineType = { name: string; vcpu: number; memory_mb: number; watts: number; price_per_hour: number };

/**
 * What platform admins offer tenants. Retiring keeps the entry (its watts and price still meter
 * the instances that run it); only new uses of it are refused.
 */
export const catalogEvents = defineEvents(catalogStreams, {
  CatalogSeeded: { description: 'The catalog was filled from the built-in defaults (or FLEET_CATALOG_FILE) on its first start', payload: payload<At & { source: string }>() },
  CatalogVersionPublished: { description: 'A media-node image version became available to deploy', payload: payload<At & CatalogVersion>() },
  CatalogVersionRetired: { description: 'A media-node image version may no longer be deployed (instances running it keep running)', payload: payload<At & { version: string }>() },
  CatalogMachineTypePublished: { description: 'A machine type became available to new instances', payload: payload<At & CatalogMachineType>() },
  CatalogMachineTypeRetired: { description: 'A machine type may no longer be chosen (instances of it keep running)', payload: payload<At & { name: string }>() },
});

export type CatalogEvent = EventOf<typeof catalogEvents>;
