import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, Clock, CLOCK, PageQuery, ReadModels } from '@streamplane/core';
import { AdminDirectory, PlatformAdmin } from '@streamplane/identity';
import { MeterDirectory } from '../queries/meter-directory';
import { UnitResponse } from './unit.response';
import { AdminUnitsQuery, AdminWorkspaceResponse, AdminWorkspacesQuery } from './admin-directory.dto';
import { unitFiltersOf } from './unit-filters';

/**
 * Directories across workspaces (CEEMS' admin projects and units). Here rather than in identity:
 * a workspace's running instances and the units come from metering's read model.
 */
@ApiTags('admin')
@PlatformAdmin()
@ReadModels('identity', 'metering')
@Controller('v1/admin')
export class AdminDirectoryController {
  constructor(
    private readonly directory: AdminDirectory,
    private readonly meters: MeterDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('workspaces')
  @ApiBadRequestResponse({ description: 'owner_id not a uuid, or paging out of range' })
  @ApiPageResponse(AdminWorkspaceResponse, 'every live workspace, oldest first, with its limit, members and running instances')
  async workspaces(@Query() query: AdminWorkspacesQuery) {
    const { page, pageSize, offset } = PageQuery.resolve(query);
    const { items, total } = await this.directory.workspaces({ ownerId: query.owner_id, name: query.name }, pageSize, offset);
    const running = await this.meters.runningInstances(items.map((w) => w.id));
    return { items: items.map((w) => ({ ...w, instances_running: running.get(w.id) ?? 0 })), page, page_size: pageSize, total };
  }

  @Get('units')
  @ApiBadRequestResponse({ description: 'workspace_id not a uuid, running not true or false, a date that does not parse, or paging out of range' })
  @ApiPageResponse(UnitResponse, 'metered instances and streams of every workspace (or one), oldest first, with their usage up to now')
  async units(@Query() query: AdminUnitsQuery) {
    const { page, pageSize, offset } = PageQuery.resolve(query);
    const { items, total } = await this.meters.units(query.workspace_id, unitFiltersOf(query), this.clock.now(), pageSize, offset);
    return { items, page, page_size: pageSize, total };
  }
}
