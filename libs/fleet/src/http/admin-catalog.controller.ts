import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ReadModels } from '@streamplane/core';
import { PlatformAdmin } from '@streamplane/identity';
import { FleetCatalog } from '../catalog/fleet-catalog';
import { ChangeCatalog } from '../commands/catalog-commands';
import { MachineTypeResponse, PublishMachineTypeBody, PublishVersionBody, VersionResponse } from './catalog.dto';
import { machineTypeView, versionView } from './catalog.controller';

/** Platform admins change what tenants may deploy; every process sees it on its next check, without a restart. */
@ApiTags('admin')
@PlatformAdmin()
@ReadModels('fleet')
@Controller('v1/admin/catalog')
export class AdminCatalogController {
  constructor(
    private readonly commands: CommandBus,
    private readonly catalog: FleetCatalog,
  ) {}

  @Post('versions')
  @ApiCreatedResponse({ type: VersionResponse })
  @ApiBadRequestResponse({ description: 'a field is invalid' })
  @ApiConflictResponse({ description: 'that version is already available' })
  async publishVersion(@Body() body: PublishVersionBody) {
    await this.commands.execute(new ChangeCatalog({ type: 'PublishVersion', version: body.version, description: body.description ?? '' }));
    return versionView((await this.catalog.current()).versions[body.version]);
  }

  @Delete('versions/:version')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'retired (or already retired): no new cluster, instance or deploy may use it; instances running it keep running' })
  @ApiNotFoundResponse({ description: 'no such version in the catalog' })
  async retireVersion(@Param('version') version: string): Promise<void> {
    await this.commands.execute(new ChangeCatalog({ type: 'RetireVersion', version }));
  }

  @Post('machine-types')
  @ApiCreatedResponse({ type: MachineTypeResponse })
  @ApiBadRequestResponse({ description: 'a field is invalid' })
  @ApiConflictResponse({ description: 'that machine type is already available' })
  async publishMachineType(@Body() body: PublishMachineTypeBody) {
    const { name, vcpu, memory_mb, watts, price_per_hour } = body;
    await this.commands.execute(new ChangeCatalog({ type: 'PublishMachineType', machineType: { name, vcpu, memory_mb, watts, price_per_hour } }));
    return machineTypeView((await this.catalog.current()).machineTypes[name]);
  }

  @Delete('machine-types/:name')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'retired (or already retired): no new instance may use it; instances of it keep running and are metered at its rates' })
  @ApiNotFoundResponse({ description: 'no such machine type in the catalog' })
  async retireMachineType(@Param('name') name: string): Promise<void> {
    await this.commands.execute(new ChangeCatalog({ type: 'RetireMachineType', name }));
  }
}
