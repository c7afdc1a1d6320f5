import { Readable } from 'node:stream';
import { Controller, Get, Logger, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EventCatalog, newEntityId, NotFoundError, ReadModels } from '@streamplane/core';
import { Authenticated, CurrentWorkspace, PlatformAdmin, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { FastifyReply } from 'fastify';
import { RecordExport } from '../commands/record-export';
import { CSV_COLUMNS, EventExport } from '../queries/event-export';
import { CausationWalk } from '../queries/causation-walk';
import { EventLog } from '../queries/event-log';
import { CausationResponse, EventKindResponse, EventPageResponse, EventResponse, EventsQuery, ExportQuery } from './events.dto';

const CONTENT_TYPES = { ndjson: 'application/x-ndjson', csv: 'text/csv; charset=utf-8' } as const;

const BAD_FILTER = 'a filter is invalid: limit over 1000, an unparsable since, until or after';

@ApiTags('audit')
@ReadModels('audit')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/events')
export class EventsController {
  private readonly logger = new Logger('audit-export');

  constructor(
    private readonly log: EventLog,
    private readonly exports: EventExport,
    private readonly commands: CommandBus,
    private readonly causation: CausationWalk,
  ) {}

  @Get()
  @ApiOkResponse({ type: EventPageResponse, description: 'the workspace’s events matching every filter, in log order' })
  @ApiBadRequestResponse({ description: BAD_FILTER })
  list(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: EventsQuery) {
    return this.log.page(EventsQuery.resolve(query, workspace.id));
  }

  @Get('export')
  @ApiOkResponse({
    description: 'every matching event, streamed in log order: one JSON event per line, or CSV with a header row (data as JSON); recorded as AuditExported when it ends',
    content: {
      [CONTENT_TYPES.ndjson]: { schema: { type: 'string', description: 'one event (as GET …/events/{event_id}) per line' } },
      [CONTENT_TYPES.csv]: { schema: { type: 'string', description: `columns: ${CSV_COLUMNS.join(', ')}` } },
    },
  })
  @ApiBadRequestResponse({ description: 'an unknown format, an unparsable since or until' })
  export(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: ExportQuery, @Res() reply: FastifyReply) {
    const format = query.format ?? 'ndjson';
    const sent = { count: 0 };
    // Pulled a page at a time as the socket drains (Readable.from waits for reads): constant memory.
    const body = Readable.from(this.exports.lines(EventsQuery.resolve(query, workspace.id), format, sent), { objectMode: false });
    const { principal } = workspace;
    const record = {
      exportId: newEntityId(),
      workspaceId: workspace.id,
      by: principal.kind === 'session' ? { type: 'user', id: principal.userId } : { type: 'token', id: principal.tokenId },
      format,
      filters: ExportQuery.filtersOf(query),
    };
    let ended = false;
    body.once('end', () => (ended = true));
    body.once('close', () => {
      this.commands.execute(new RecordExport({ ...record, count: sent.count, complete: ended })).catch((error: Error) => this.logger.error(`export ${record.exportId} not recorded: ${error.message}`));
    });
    return reply
      .header('content-type', CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="events-${workspace.id}.${format}"`)
      .send(body);
  }

  @Get(':event_id')
  @ApiOkResponse({ type: EventResponse })
  @ApiNotFoundResponse({ description: 'no such event in the workspace' })
  async one(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('event_id', ParseUUIDPipe) eventId: string) {
    const event = await this.log.one(workspace.id, eventId);
    if (!event) throw new NotFoundError('no such event');
    return event;
  }

  @Get(':event_id/causation')
  @ApiOkResponse({ type: CausationResponse, description: 'what caused the event, up to the request (or scheduled job) it started from, and everything it caused: events, the jobs that wrote them, webhook deliveries' })
  @ApiNotFoundResponse({ description: 'no such event in the workspace' })
  async causationOf(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('event_id', ParseUUIDPipe) eventId: string) {
    const graph = await this.causation.of(workspace.id, eventId);
    if (!graph) throw new NotFoundError('no such event');
    return graph;
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
