import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { objectSchema, ReadModels } from '@streamplane/core';
import { CurrentWorkspace, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { BillingStatements } from '../queries/billing-statements';
import { CURRENT_BILLING_SCHEMA, STATEMENT_SCHEMA, USAGE_EVENT_SCHEMA } from './billing.schemas';
import { StatementsQuery } from './usage.dto';

@ApiTags('billing')
@ReadModels('metering')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/billing')
export class BillingController {
  constructor(private readonly billing: BillingStatements) {}

  @Get('current')
  @ApiOkResponse({ schema: CURRENT_BILLING_SCHEMA, description: 'the UTC month so far, after the free tier' })
  current(@CurrentWorkspace() workspace: WorkspaceAccess) {
    return this.billing.current(workspace.id);
  }

  @Get('statements')
  @ApiBadRequestResponse({ description: 'limit or offset out of range' })
  @ApiOkResponse({ schema: objectSchema({ items: { type: 'array', items: STATEMENT_SCHEMA }, count: { type: 'integer' } }), description: 'one statement per month with usage, newest first' })
  list(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: StatementsQuery) {
    return this.billing.list(workspace.id, query.limit ?? 100, query.offset ?? 0);
  }

  @Get('statements/:statement_id')
  @ApiOkResponse({ schema: STATEMENT_SCHEMA })
  @ApiNotFoundResponse({ description: 'no statement of this workspace has that id' })
  get(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('statement_id', ParseUUIDPipe) id: string) {
    return this.billing.get(workspace.id, id);
  }

  @Get('statements/:statement_id/events')
  @ApiNotFoundResponse({ description: 'no statement of this workspace has that id' })
  @ApiBadRequestResponse({ description: 'limit or offset out of range' })
  @ApiOkResponse({ schema: objectSchema({ items: { type: 'array', items: USAGE_EVENT_SCHEMA }, count: { type: 'integer' } }), description: 'the usage events behind the statement, in log order' })
  events(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('statement_id', ParseUUIDPipe) id: string, @Query() query: StatementsQuery) {
    return this.billing.events(workspace.id, id, query.limit ?? 100, query.offset ?? 0);
  }
}
