/** What a machine type gives an instance, what it draws and what it costs. */
export interface MachineType {
  name: string;
  vcpu: number;
  memory_mb: number;
  /** Average power draw, for energy and emissions accounting. */
  watts: number;
  price_per_hour: number;
}

export interface Location {
  name: string;
  /** Average carbon intensity of the local grid, grams of CO2-equivalent per kWh. */
  carbon_intensity_g_per_kwh: number;
}

export interface ImageVersion {
  version: string;
  released_at: string;
  notes: string;
}

/** What processing a stream (while a handler holds it) draws and costs, and where that happens. */
export interface StreamProcessing {
  watts: number;
  price_per_hour: number;
  /** The location whose grid's carbon intensity its energy is counted at. */
  location: string;
}

export interface FleetCatalogData {
  machineTypes: MachineType[];
  locations: Location[];
  versions: ImageVersion[];
  defaultMachineType: string;
  defaultLocation: string;
  streamProcessing: StreamProcessing;
}

/**
 * The built-in catalog. Locations are Fishjam's sixteen regions; their carbon intensities are
 * rounded annual grid averages of the country or region each sits in (figures of the kind
 * published by Ember and electricityMaps), good enough to compare placements, not to audit them.
 * Operators replace any part of it with FLEET_CATALOG_FILE.
 */
export const DEFAULT_CATALOG: FleetCatalogData = {
  machineTypes: [
    { name: 'xsmall', vcpu: 1, memory_mb: 1024, watts: 12, price_per_hour: 0.02 },
    { name: 'small', vcpu: 2, memory_mb: 2048, watts: 22, price_per_hour: 0.04 },
    { name: 'medium', vcpu: 4, memory_mb: 4096, watts: 40, price_per_hour: 0.08 },
    { name: 'large', vcpu: 8, memory_mb: 8192, watts: 75, price_per_hour: 0.16 },
    { name: 'xlarge', vcpu: 16, memory_mb: 16384, watts: 140, price_per_hour: 0.32 },
  ],
  locations: [
    { name: 'us_east', carbon_intensity_g_per_kwh: 370 },
    { name: 'us_west', carbon_intensity_g_per_kwh: 240 },
    { name: 'af_south', carbon_intensity_g_per_kwh: 710 },
    { name: 'ap_east', carbon_intensity_g_per_kwh: 640 },
    { name: 'ap_south', carbon_intensity_g_per_kwh: 710 },
    { name: 'ap_southeast', carbon_intensity_g_per_kwh: 470 },
    { name: 'ap_northeast', carbon_intensity_g_per_kwh: 480 },
    { name: 'ca_central', carbon_intensity_g_per_kwh: 35 },
    { name: 'eu_central', carbon_intensity_g_per_kwh: 380 },
    { name: 'eu_west', carbon_intensity_g_per_kwh: 290 },
    { name: 'eu_south', carbon_intensity_g_per_kwh: 330 },
    { name: 'eu_north', carbon_intensity_g_per_kwh: 30 },
    { name: 'il_central', carbon_intensity_g_per_kwh: 560 },
    { name: 'me_south', carbon_intensity_g_per_kwh: 620 },
    { name: 'me_central', carbon_intensity_g_per_kwh: 450 },
    { name: 'sa_east', carbon_intensity_g_per_kwh: 100 },
  ],
  versions: [
    { version: '1.0.0', released_at: '2026-06-01T00:00:00.000Z', notes: 'first release of the built-in media node' },
    { version: '1.1.0', released_at: '2026-09-15T00:00:00.000Z', notes: 'reports its environment variable names on /info' },
  ],
  defaultMachineType: 'xsmall',
  defaultLocation: 'eu_central',
  streamProcessing: { watts: 8, price_per_hour: 0.01, location: 'eu_central' },
};
