import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandPipeline } from '@streamplane/core';
import { catalog } from '../domain/catalog.decider';
import { CATALOG_ID } from '../domain/catalog.events';
import { FleetCatalog } from './fleet-catalog';

/**
 * Fills the catalog's stream from the configured defaults on the platform's first start. The
 * decider makes it once only: processes starting together race on the stream's revision and the
 * loser finds it seeded; later starts (and a changed FLEET_CATALOG_FILE) change nothing.
 */
@Injectable()
export class CatalogSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('fleet');

  constructor(
    private readonly fleetCatalog: FleetCatalog,
    private readonly pipeline: CommandPipeline,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { versions, machineTypes } = this.fleetCatalog.configured;
    const { events } = await this.pipeline.decide(catalog, CATALOG_ID, {
      type: 'Seed',
      source: this.fleetCatalog.source,
      versions: versions.map((v) => ({ version: v.version, description: v.notes ?? '', ...(v.released_at && { released_at: v.released_at }) })),
      machineTypes: machineTypes.map(({ name, vcpu, memory_mb, watts, price_per_hour }) => ({ name, vcpu, memory_mb, watts, price_per_hour })),
    });
    if (events.length) this.logger.log(`catalog seeded from the ${this.fleetCatalog.source}: ${versions.length} versions, ${machineTypes.length} machine types`);
  }
}
