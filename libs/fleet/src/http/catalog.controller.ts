import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '@streamplane/identity';
import { FleetCatalog } from '../catalog/fleet-catalog';
import { LocationResponse, MachineTypeResponse, VersionResponse } from './cluster.dto';

@ApiTags('catalog')
@Authenticated()
@Controller('v1/catalog')
export class CatalogController {
  constructor(private readonly catalog: FleetCatalog) {}

  @Get('machine-types')
  @ApiOkResponse({ type: [MachineTypeResponse] })
  machineTypes() {
    return this.catalog.machineTypes();
  }

  @Get('locations')
  @ApiOkResponse({ type: [LocationResponse], description: "each location with its grid's carbon intensity" })
  locations() {
    return this.catalog.locations();
  }

  @Get('versions')
  @ApiOkResponse({ type: [VersionResponse], description: 'media-node image versions, oldest first' })
  versions() {
    return this.catalog.versions();
  }
}
