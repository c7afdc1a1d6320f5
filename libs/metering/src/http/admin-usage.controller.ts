import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Clock, CLOCK, objectSchema, ReadModels, ValidationError } from '@streamplane/core';
import { CurrentPrincipal, PlatformAdmin, Principal } from '@streamplane/identity';
import { ChangeMeter } from '../commands/meter-commands';
import { PLATFORM_STATS_SCHEMA } from './billing.schemas';
import { PlatformStatsQuery } from '../queries/platform-stats';
import { UsageReports } from '../queries/usage-reports';
import { AdminStatsQuery, AdminUsageQueryParams, USAGE_MODES, USAGE_REPORT_SCHEMA, UsageCorrectionBody } from './usage.dto';
import { usageQueryOf, usageWindow } from './usage-window';

@ApiTags('admin')
@PlatformAdmin()
@ReadModels('metering')
@Controller('v1/admin')
export class AdminUsageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly reports: UsageReports,
    private readonly platform: PlatformStatsQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('workspaces/:workspace_id/usage-corrections')
  @ApiBadRequestResponse({ description: 'a field is invalid, or from is not before to' })
  @ApiNotFoundResponse({ description: 'nothing was ever metered for that subject in that workspace' })
  @ApiCreatedResponse({ schema: objectSchema({ subject_id: { type: 'string', format: 'uuid' }, version: { type: 'integer' } }), description: 'a UsageCorrected event; it counts in usage and the open statement' })
  async correct(@CurrentPrincipal() admin: Principal, @Param('workspace_id', ParseUUIDPipe) workspaceId: string, @Body() body: UsageCorrectionBody) {
    const from = new Date(body.from);
    const to = new Date(body.to);
    if (from >= to) throw new ValidationError('the request has invalid fields', [{ field: 'from', message: 'from must be before to' }]);
    const { version } = await this.commands.execute(
      new ChangeMeter(workspaceId, body.subject_id, { type: 'CorrectUsage', from, to, secondsDelta: body.seconds_delta, reason: body.reason, correctedBy: admin.userId }),
    );
    return { subject_id: body.subject_id, version };
  }

  @Get('usage/:mode')
  @ApiBadRequestResponse({ description: 'an unknown mode, group_by, window or tz, or from not before to' })
  @ApiParam({ name: 'mode', enum: USAGE_MODES })
  @ApiOkResponse({ schema: USAGE_REPORT_SCHEMA, description: 'usage across workspaces (or of one), grouped as asked' })
  usage(@Param('mode') mode: string, @Query() query: AdminUsageQueryParams) {
    return this.reports.report(usageQueryOf(mode, query, this.clock.now(), query.workspace_id));
  }

  @Get('stats/:mode')
  @ApiBadRequestResponse({ description: 'an unknown mode, or from not before to' })
  @ApiParam({ name: 'mode', enum: USAGE_MODES })
  @ApiOkResponse({ schema: PLATFORM_STATS_SCHEMA, description: 'accounts, metered units, usage events and usage totals over the window' })
  stats(@Param('mode') mode: string, @Query() query: AdminStatsQuery) {
    return this.platform.stats(usageWindow(mode, query.from, query.to, this.clock.now()));
  }
}
