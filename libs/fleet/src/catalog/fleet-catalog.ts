import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, CommandPipeline, FieldError, ValidationError } from '@streamplane/core';
import { catalog, CatalogState, MachineTypeEntry, VersionEntry } from '../domain/catalog.decider';
import { CATALOG_ID } from '../domain/catalog.events';
import { DEFAULT_CATALOG, FleetCatalogData, Location, StreamProcessing } from './catalog.defaults';

const available = (entry: { retired_at: string | null } | undefined) => entry !== undefined && entry.retired_at === null;

/**
 * Media-node versions and machine types live in the log (`catalog-platform`, seeded from the
 * defaults once, then changed by platform admins); each check folds that one short stream, so every
 * process sees a publish or a retirement as soon as it is appended, with no cache to invalidate.
 * Locations and stream-processing rates stay configuration: the built-in defaults, each list
 * replaceable by the JSON file named in FLEET_CATALOG_FILE, read once at start.
 */
@Injectable()
export class FleetCatalog {
  /** What the first start seeds the log with (and the static parts, for ever). */
  readonly configured: FleetCatalogData;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pipeline: CommandPipeline,
  ) {
    this.configured = config.fleetCatalogFile ? loadCatalogFile(config.fleetCatalogFile) : DEFAULT_CATALOG;
  }

  /** Where the configured parts come from, as metering's `factor_source` and the seed event name it. */
  get source(): string {
    return this.config.fleetCatalogFile ? `catalog file ${this.config.fleetCatalogFile}` : 'built-in catalog';
  }

  current(): Promise<CatalogState> {
    return this.pipeline.loadEntity(catalog, CATALOG_ID);
  }

  /** Every machine type ever published, the retired ones with their `retired_at`. */
  async machineTypes(): Promise<MachineTypeEntry[]> {
    return Object.values((await this.current()).machineTypes);
  }

  async versions(): Promise<VersionEntry[]> {
    return Object.values((await this.current()).versions);
  }

  async retiredVersions(): Promise<string[]> {
    return (await this.versions()).filter((v) => !available(v)).map((v) => v.version);
  }

  /** A machine type's rates, retired or not: an instance of a retired type is still metered at its price. */
  async machineType(name: string): Promise<MachineTypeEntry | undefined> {
    return (await this.current()).machineTypes[name];
  }

  locations(): Location[] {
    return this.configured.locations;
  }

  streamProcessing(): StreamProcessing {
    return this.configured.streamProcessing;
  }

  get defaults() {
    return { machineType: this.configured.defaultMachineType, location: this.configured.defaultLocation };
  }

  /** A 400 naming `field` unless the version is available (published and not retired). */
  async assertVersion(version: string | undefined, field = 'image_version'): Promise<void> {
    if (version === undefined) return;
    const versions = (await this.current()).versions;
    if (available(versions[version])) return;
    const offered = Object.values(versions).filter(available).map((v) => v.version).join(', ');
    const why = versions[version] ? 'has been retired' : 'is not an available version';
    throw new ValidationError('the request has invalid fields', [{ field, message: `${version} ${why} (available: ${offered})` }]);
  }

  /** A 400 naming each field whose machine type is not available or whose location is unknown. */
  async assertPlacement(machineType: string | undefined, location: string | undefined): Promise<void> {
    const errors: FieldError[] = [];
    if (machineType !== undefined) {
      const types = (await this.current()).machineTypes;
      if (!available(types[machineType])) {
        const offered = Object.values(types).filter(available).map((m) => m.name).join(', ');
        errors.push({ field: 'machine_type', message: `${types[machineType] ? `${machineType} has been retired; ` : ''}must be one of ${offered}` });
      }
    }
    if (location !== undefined && !this.locations().some((l) => l.name === location)) errors.push({ field: 'location', message: `must be one of ${this.locations().map((l) => l.name).join(', ')}` });
    if (errors.length) throw new ValidationError('the request has invalid fields', errors);
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
