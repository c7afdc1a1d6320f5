import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '@streamplane/identity';
import { FleetCatalog } from '../catalog/fleet-catalog';
import { MachineTypeEntry, VersionEntry } from '../domain/catalog.decider';
import { LocationResponse, MachineTypeResponse, VersionResponse } from './catalog.dto';

const statusOf = (entry: { retired_at: string | null }) => (entry.retired_at === null ? 'available' : 'retired');

export const machineTypeView = (entry: MachineTypeEntry): MachineTypeResponse => ({ ...entry, status: statusOf(entry) });
export const versionView = (entry: VersionEntry): VersionResponse => ({ ...entry, notes: entry.description, status: statusOf(entry) });

/**
 * Retired entries are listed with `status: retired`: a tenant whose running instance uses one can
 * see why it is no longer offered, and what it still costs.
 */
@ApiTags('catalog')
@Authenticated()
@Controller('v1/catalog')
export class CatalogController {
  constructor(private readonly catalog: FleetCatalog) {}

  @Get('machine-types')
  @ApiOkResponse({ type: [MachineTypeResponse], description: 'in the order they were published; retired ones included, with their status' })
  async machineTypes() {
    return (await this.catalog.machineTypes()).map(machineTypeView);
  }

  @Get('locations')
  @ApiOkResponse({ type: [LocationResponse], description: "each location with its grid's carbon intensity" })
  locations() {
    return this.catalog.locations();
  }

  @Get('versions')
  @ApiOkResponse({ type: [VersionResponse], description: 'media-node image versions, oldest first; retired ones included, with their status' })
  async versions() {
    return (await this.catalog.versions()).map(versionView);
  }
}
