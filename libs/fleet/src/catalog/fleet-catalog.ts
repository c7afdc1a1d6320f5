import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, ValidationError } from '@streamplane/core';
import { DEFAULT_CATALOG, FleetCatalogData, ImageVersion, Location, MachineType, StreamProcessing } from './catalog.defaults';

/**
 * Machine types, locations and media-node versions: the built-in defaults, each list replaceable
 * by the JSON file named in FLEET_CATALOG_FILE (`{machineTypes?, locations?, versions?, streamProcessing?}`), read
 * once at start. A file that does not parse or misses fields stops the start with its reason.
 */
@Injectable()
export class FleetCatalog {
  private readonly data: FleetCatalogData;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.data = config.fleetCatalogFile ? loadCatalogFile(config.fleetCatalogFile) : DEFAULT_CATALOG;
  }

  machineTypes(): MachineType[] {
    return this.data.machineTypes;
  }

  locations(): Location[] {
    return this.data.locations;
  }

  streamProcessing(): StreamProcessing {
    return this.data.streamProcessing;
  }

  versions(): ImageVersion[] {
    return this.data.versions;
  }

  hasVersion(version: string): boolean {
    return this.data.versions.some((v) => v.version === version);
  }

  /** A 400 naming `image_version` when the catalog does not offer that version. */
  assertVersion(version: string | undefined): void {
    if (version !== undefined && !this.hasVersion(version)) {
      const offered = this.data.versions.map((v) => v.version).join(', ');
      throw new ValidationError('the request has invalid fields', [{ field: 'image_version', message: `${version} is not an available version (${offered})` }]);
    }
  }

  hasMachineType(name: string): boolean {
    return this.data.machineTypes.some((m) => m.name === name);
  }

  hasLocation(name: string): boolean {
    return this.data.locations.some((l) => l.name === name);
  }

  get defaults() {
    return { machineType: this.data.defaultMachineType, location: this.data.defaultLocation };
  }
}

export function loadCatalogFile(path: string): FleetCatalogData {
  let parsed: Partial<FleetCatalogData>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<FleetCatalogData>;
  } catch (error) {
    throw new Error(`FLEET_CATALOG_FILE ${path} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const data = { ...DEFAULT_CATALOG, ...parsed };
  const problems: string[] = [];
  if (!data.machineTypes.every((m) => typeof m.name === 'string' && m.vcpu > 0 && m.memory_mb > 0 && m.watts >= 0 && m.price_per_hour >= 0)) problems.push('every machine type needs name, vcpu, memory_mb, watts, price_per_hour');
  if (!data.locations.every((l) => typeof l.name === 'string' && l.carbon_intensity_g_per_kwh >= 0)) problems.push('every location needs name and carbon_intensity_g_per_kwh');
  if (data.versions.length === 0 || !data.versions.every((v) => typeof v.version === 'string')) problems.push('versions must list at least one {version}');
  if (!data.machineTypes.some((m) => m.name === data.defaultMachineType)) problems.push(`defaultMachineType ${data.defaultMachineType} is not a machine type`);
  if (!data.locations.some((l) => l.name === data.defaultLocation)) problems.push(`defaultLocation ${data.defaultLocation} is not a location`);
  const processing = data.streamProcessing;
  if (!(processing?.watts >= 0 && processing.price_per_hour >= 0 && data.locations.some((l) => l.name === processing.location))) {
    problems.push('streamProcessing needs watts, price_per_hour and a location of the catalog');
  }
  if (problems.length) throw new Error(`FLEET_CATALOG_FILE ${path}: ${problems.join('; ')}`);
  return data;
}
