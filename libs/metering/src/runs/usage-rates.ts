import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@streamplane/core';
import { FleetCatalog } from '@streamplane/fleet';
import { UsageRates } from '../domain/usage.events';

/**
 * Today's rates from the fleet catalog (machine types from its live stream, locations built in or
 * from FLEET_CATALOG_FILE) and the PUE: the tracker copies them into the run's first event, so a
 * later catalog never reprices the past.
 */
@Injectable()
export class UsageRatesSource {
  constructor(
    private readonly catalog: FleetCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async forInstance(machineTypeName: string, locationName: string): Promise<UsageRates> {
    // A retired machine type keeps its rates: its running instances are still metered at them.
    const machineType = await this.catalog.machineType(machineTypeName);
    const location = this.catalog.locations().find((l) => l.name === locationName);
    return {
      machine_type: machineTypeName,
      location: locationName,
      // A machine type or location the catalog never had (or no longer lists) still runs: it is metered at zero
      // rather than dropped, and `factor_source` says so.
      watts: machineType?.watts ?? 0,
      pue: this.config.metering.pue,
      emission_factor_g_per_kwh: location?.carbon_intensity_g_per_kwh ?? 0,
      factor_source: location ? `${this.catalog.source} (${locationName})` : `unknown location ${locationName}`,
      unit_price_per_hour: machineType?.price_per_hour ?? 0,
      currency: this.config.metering.currency,
    };
  }

  forStream(): UsageRates {
    const processing = this.catalog.streamProcessing();
    const location = this.catalog.locations().find((l) => l.name === processing.location);
    return {
      location: processing.location,
      watts: processing.watts,
      pue: this.config.metering.pue,
      emission_factor_g_per_kwh: location?.carbon_intensity_g_per_kwh ?? 0,
      factor_source: `${this.catalog.source} (${processing.location})`,
      unit_price_per_hour: processing.price_per_hour,
      currency: this.config.metering.currency,
    };
  }
}
