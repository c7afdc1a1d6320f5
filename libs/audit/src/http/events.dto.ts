import { ApiProperty, ApiPropertyOptional, OmitType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CommaList } from '@streamplane/core';
import { EXPORT_FORMATS, ExportFilters, ExportFormat } from '../domain/audit-export.events';
import { EventQuery } from '../queries/event-log';

export const MAX_EVENTS_PAGE = 1000;

/** The events API's filters (API.md, Audit); every one given must hold. */
export class EventsQuery {
  @ApiPropertyOptional({ type: String, description: 'comma-separated event types, e.g. StreamCreated,StreamQueued' })
  @IsOptional()
  @CommaList()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  types?: string[];

  @ApiPropertyOptional({ description: 'what the events are about: stream, instance, cluster, webhook, …' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  target_type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(256)
  target_id?: string;

  @ApiPropertyOptional({ description: 'the user, API token, queue or `system` that caused them' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  actor_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(256)
  correlation_id?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'events that occurred at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'events that occurred before this time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until?: string;

  @ApiPropertyOptional({ type: String, description: 'a log position (exclusive): the `next_after` of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be a log position: a decimal string of up to 18 digits' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_EVENTS_PAGE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_EVENTS_PAGE)
  limit?: number;

  /** The query for one workspace, or for the whole log (null). */
  static resolve(query: Partial<EventsQuery>, workspaceId: string | null): EventQuery {
    return {
      workspaceId,
      types: query.types,
      targetType: query.target_type,
      targetId: query.target_id,
      actorId: query.actor_id,
      correlationId: query.correlation_id,
      since: query.since === undefined ? undefined : new Date(query.since),
      until: query.until === undefined ? undefined : new Date(query.until),
      after: query.after === undefined ? undefined : BigInt(query.after),
      limit: query.limit ?? 100,
    };
  }
}

class Reference {
  @ApiProperty() type!: string;
  @ApiProperty() id!: string;
}

class EventMetadata {
  @ApiProperty({ type: String, nullable: true }) correlation_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) causation_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) request_id!: string | null;
}

export class EventResponse {
  @ApiProperty({ description: 'log position (decimal string)' }) position!: string;
  @ApiProperty({ format: 'uuid' }) event_id!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ description: 'the schema version the data is shown in (older stored versions are upcast)' }) event_version!: number;
  @ApiProperty() stream_id!: string;
  @ApiProperty({ description: 'the event’s place in its stream (decimal string)' }) revision!: string;
  @ApiProperty({ type: Reference }) target!: Reference;
  @ApiProperty({ type: Reference }) actor!: Reference;
  @ApiProperty({ format: 'date-time' }) occurred_at!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the payload; sealed fields (personal data, secrets) read as null' }) data!: object;
  @ApiProperty({ type: EventMetadata }) metadata!: EventMetadata;
}

export class EventPageResponse {
  @ApiProperty({ type: [EventResponse] }) items!: EventResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `after` for the next page; null on the last one' }) next_after!: string | null;
}

class CausationNodeResponse {
  @ApiProperty({ enum: ['request', 'event', 'job', 'delivery'] }) kind!: 'request' | 'event' | 'job' | 'delivery';
  @ApiProperty({ description: 'the request’s correlation id, the event’s id, the job’s id or the delivery’s id' }) id!: string;
  @ApiProperty({ description: 'the event type; a job’s queue; `request`; `webhook_delivery`' }) type!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the node that caused this one; null for the root' }) parent_id!: string | null;
}

export class CausationResponse {
  @ApiProperty({ description: 'the id of the first cause' }) root!: string;
  @ApiProperty({ type: [CausationNodeResponse], description: 'causes first, then effects level by level' }) nodes!: CausationNodeResponse[];
}

export class EventKindResponse {
  @ApiProperty() type!: string;
  @ApiProperty() event_version!: number;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'the kind of entity it is about (its stream category)' }) target_type!: string;
}

/** Paging of an entity's history, as the events API pages. */
export class HistoryQuery extends PickType(EventsQuery, ['after', 'limit'] as const) {}

/** An export takes the events API's filters (not its paging) and a format. */
export class ExportQuery extends OmitType(EventsQuery, ['after', 'limit'] as const) {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'ndjson' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;

  /** The filters as given, for the export's record. */
  static filtersOf(query: ExportQuery): ExportFilters {
    const { format: _format, ...given } = query;
    return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as ExportFilters;
  }
}
