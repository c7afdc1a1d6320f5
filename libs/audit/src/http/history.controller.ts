import { applyDecorators, Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ReadModels } from '@streamplane/core';
import { CurrentWorkspace, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { EntityHistory, HistoryCollection } from '../queries/entity-history';
import { EventPageResponse, HistoryQuery } from './events.dto';

const History = () =>
  applyDecorators(
    ApiOkResponse({ type: EventPageResponse, description: 'the entity’s own events in order, as the events API shows them' }),
    ApiNotFoundResponse({ description: 'no such entity in the workspace' }),
    ApiBadRequestResponse({ description: 'a malformed id, limit or after' }),
  );

/** `GET …/{collection}/{id}/history` for the six collections with a history. */
@ApiTags('audit')
@ReadModels('audit')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id')
export class HistoryController {
  constructor(private readonly history: EntityHistory) {}

  @Get('streams/:stream_id/history')
  @History()
  streams(@CurrentWorkspace() ws: WorkspaceAccess, @Param('stream_id', ParseUUIDPipe) id: string, @Query() query: HistoryQuery) {
    return this.of(ws, 'streams', id, query);
  }

  @Get('groups/:group_id/history')
  @History()
  groups(@CurrentWorkspace() ws: WorkspaceAccess, @Param('group_id', ParseUUIDPipe) id: string, @Query() query: HistoryQuery) {
    return this.of(ws, 'groups', id, query);
  }

  @Get('instances/:instance_id/history')
  @History()
  instances(@CurrentWorkspace() ws: WorkspaceAccess, @Param('instance_id', ParseUUIDPipe) id: string, @Query() query: HistoryQuery) {
    return this.of(ws, 'instances', id, query);
  }

  @Get('clusters/:cluster_id/history')
  @History()
  clusters(@CurrentWorkspace() ws: WorkspaceAccess, @Param('cluster_id', ParseUUIDPipe) id: string, @Query() query: HistoryQuery) {
    return this.of(ws, 'clusters', id, query);
  }

  @Get('deploys/:deploy_id/history')
  @History()
  deploys(@CurrentWorkspace() ws: WorkspaceAccess, @Param('deploy_id', ParseUUIDPipe) id: string, @Query() query: HistoryQuery) {
    return this.of(ws, 'deploys', id, query);
  }

  @Get('webhooks/:webhook_id/history')
  @History()
  webhooks(@CurrentWorkspace() ws: WorkspaceAccess, @Param('webhook_id', ParseUUIDPipe) id: string, @Query() query: HistoryQuery) {
    return this.of(ws, 'webhooks', id, query);
  }

  private of(ws: WorkspaceAccess, collection: HistoryCollection, id: string, query: HistoryQuery) {
    return this.history.of(ws.id, collection, id, { after: query.after === undefined ? undefined : BigInt(query.after), limit: query.limit ?? 100 });
  }
}
