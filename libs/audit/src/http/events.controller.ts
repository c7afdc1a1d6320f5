import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EventCatalog, NotFoundError, ReadModels } from '@streamplane/core';
import { Authenticated, CurrentWorkspace, PlatformAdmin, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { EventLog } from '../queries/event-log';
import { EventKindResponse, EventPageResponse, EventResponse, EventsQuery } from './events.dto';

const BAD_FILTER = 'a filter is invalid: limit over 1000, an unparsable since, until or after';

@ApiTags('audit')
@ReadModels('audit')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/events')
export class EventsController {
  constructor(private readonly log: EventLog) {}

  @Get()
  @ApiOkResponse({ type: EventPageResponse, description: 'the workspace’s events matching every filter, in log order' })
  @ApiBadRequestResponse({ description: BAD_FILTER })
  list(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: EventsQuery) {
    return this.log.page(EventsQuery.resolve(query, workspace.id));
  }

  @Get(':event_id')
  @ApiOkResponse({ type: EventResponse })
  @ApiNotFoundResponse({ description: 'no such event in the workspace' })
  async one(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('event_id', ParseUUIDPipe) eventId: string) {
    const event = await this.log.one(workspace.id, eventId);
    if (!event) throw new NotFoundError('no such event');
    return event;
  }
}

@ApiTags('admin')
@ReadModels('audit')
@PlatformAdmin()
@Controller('v1/admin/events')
export class AdminEventsController {
  constructor(private readonly log: EventLog) {}

  @Get()
  @ApiOkResponse({ type: EventPageResponse, description: 'the whole log (platform events too), matching every filter, in log order' })
  @ApiBadRequestResponse({ description: BAD_FILTER })
  list(@Query() query: EventsQuery) {
    return this.log.page(EventsQuery.resolve(query, null));
  }
}

@ApiTags('audit')
@Authenticated()
@Controller('v1/events/kinds')
export class EventKindsController {
  constructor(private readonly catalog: EventCatalog) {}

  @Get()
  @ApiOkResponse({ type: [EventKindResponse], description: 'every event type the product writes, from the event catalogue' })
  kinds(): EventKindResponse[] {
    return this.catalog.list().map((kind) => ({ type: kind.type, event_version: kind.version, description: kind.description, target_type: kind.target }));
  }
}
