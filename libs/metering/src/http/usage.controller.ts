import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, Clock, CLOCK, PageQuery, ReadModels } from '@streamplane/core';
import { CurrentWorkspace, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { MeterDirectory } from '../queries/meter-directory';
import { UsageReports } from '../queries/usage-reports';
import { UnitResponse } from './unit.response';
import { USAGE_MODES, USAGE_REPORT_SCHEMA, UnitsQuery, UsageQueryParams } from './usage.dto';
import { usageQueryOf } from './usage-window';
import { unitFiltersOf } from './unit-filters';

@ApiTags('usage')
@ReadModels('metering')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id')
export class UsageController {
  constructor(
    private readonly reports: UsageReports,
    private readonly meters: MeterDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('usage/:mode')
  @ApiParam({ name: 'mode', enum: USAGE_MODES })
  @ApiOkResponse({ schema: USAGE_REPORT_SCHEMA, description: 'usage, energy, emissions and cost in the window; running units count up to now' })
  @ApiBadRequestResponse({ description: 'an unknown mode, group_by, window or tz, or from not before to' })
  usage(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('mode') mode: string, @Query() query: UsageQueryParams) {
    return this.reports.report(usageQueryOf(mode, query, this.clock.now(), workspace.id));
  }

  @Get('units')
  @ApiBadRequestResponse({ description: 'running not true or false, a date that does not parse, or paging out of range' })
  @ApiPageResponse(UnitResponse, 'metered instances and streams, oldest first, with their usage up to now')
  async units(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: UnitsQuery) {
    const { page, pageSize, offset } = PageQuery.resolve(query);
    const { items, total } = await this.meters.units(workspace.id, unitFiltersOf(query), this.clock.now(), pageSize, offset);
    return { items, page, page_size: pageSize, total };
  }
}
