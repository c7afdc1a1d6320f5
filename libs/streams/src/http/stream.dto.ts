import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  MinLength,
  Min,
  ValidateNested,
  ValidationArguments,
  registerDecorator,
} from 'class-validator';
import { CommaList, CursorPageQuery } from '@streamplane/core';
import { STREAM_STATUSES } from '../domain/stream-status';
import { LocationBody, StreamLocationResponse } from './location.dto';
import { MAX_JSON_FIELD_BYTES, MaxJsonSize } from './max-json-size';

export const GROUP_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
export const SOURCE_TYPES = ['videofile', 'tcp', 'udp', 'images'] as const;

/** Query filters shared by lists, counts, logs and the queue peek. */
export const StreamIdsFilter = () =>
  applyDecorators(ApiPropertyOptional({ type: String, description: 'comma-separated stream ids' }), IsOptional(), CommaList(), ArrayMaxSize(1000), IsUUID('all', { each: true }));
export const NamesFilter = () =>
  applyDecorators(ApiPropertyOptional({ type: String, description: 'comma-separated names' }), IsOptional(), CommaList(), ArrayMaxSize(1000), IsString({ each: true }));
export const StatusesFilter = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, description: `comma-separated: ${STREAM_STATUSES.join(', ')}` }),
    IsOptional(),
    CommaList(),
    IsIn(STREAM_STATUSES, { each: true, message: `each status must be one of ${STREAM_STATUSES.join(', ')}` }),
  );
export const TimeBound = () => applyDecorators(ApiPropertyOptional({ format: 'date-time' }), IsOptional(), IsISO8601({ strict: true }));

/**
 * `data` is the handler's business and may carry any fields (Luna's stream_data does), but it
 * must say where the video comes from: `reference`, and optionally which kind of source it is.
 */
function IsStreamData() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isStreamData',
      target: target.constructor,
      propertyName,
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const { reference, type } = value as { reference?: unknown; type?: unknown };
          if (typeof reference !== 'string' || reference.length < 1 || reference.length > 1024) return false;
          return type === undefined || (SOURCE_TYPES as readonly unknown[]).includes(type);
        },
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} must be an object with reference (a string of 1 to 1024 characters) and optionally type (${SOURCE_TYPES.join(', ')})`,
      },
    });
}

export class AutorestartBody {
  @ApiPropertyOptional({ enum: [0, 1], default: 0, description: '1: queue a failed or lost stream again' })
  @IsOptional()
  @IsIn([0, 1], { message: 'restart must be 0 or 1' })
  restart?: 0 | 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  attempt_count?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 86400, default: 60, description: 'seconds before each new attempt' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86400)
  delay?: number;
}

export class CreateStreamBody {
  @ApiPropertyOptional({ format: 'uuid', description: "Luna-Streams' account: accepted when it is this workspace's id, a 400 otherwise" })
  @IsOptional()
  @IsUUID('all', { message: 'account_id must be a UUID' })
  account_id?: string;

  @ApiPropertyOptional({ maxLength: 128, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  name?: string;

  @ApiPropertyOptional({ maxLength: 128, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  description?: string;

  @ApiProperty({
    example: { reference: 'file:///var/media/lobby.mp4', type: 'videofile' },
    description: `the source: \`reference\` (required) and \`type\`; other fields are passed to the handler. At most ${MAX_JSON_FIELD_BYTES} bytes as JSON`,
  })
  @IsStreamData()
  @MaxJsonSize()
  data!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: `the handler's own settings; at most ${MAX_JSON_FIELD_BYTES} bytes as JSON` })
  @IsObject()
  @MaxJsonSize()
  event_handler!: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: `at most ${MAX_JSON_FIELD_BYTES} bytes as JSON` })
  @IsOptional()
  @IsObject()
  @MaxJsonSize()
  policies?: Record<string, unknown>;

  @ApiPropertyOptional({ type: AutorestartBody })
  @IsOptional()
  @ValidateNested()
  @Type(() => AutorestartBody)
  autorestart?: AutorestartBody;

  @ApiPropertyOptional({ type: LocationBody, description: 'where the camera is (Luna-Streams `location`)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocationBody)
  location?: LocationBody;

  @ApiPropertyOptional({ enum: ['pending', 'pause'], default: 'pending', description: '`pending` queues the stream; `pause` does not' })
  @IsOptional()
  @IsIn(['pending', 'pause'])
  status?: 'pending' | 'pause';

  @ApiPropertyOptional({ pattern: GROUP_NAME.source, description: 'an existing group to put the stream in' })
  @IsOptional()
  @Matches(GROUP_NAME, { message: 'group_name must match ^[a-zA-Z0-9_-]{1,128}$' })
  group_name?: string;
}

export class UpdateStreamBody {
  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  description?: string;

  @ApiPropertyOptional({ enum: ['pending', 'pause', 'cancel'] })
  @IsOptional()
  @IsIn(['pending', 'pause', 'cancel'])
  status?: 'pending' | 'pause' | 'cancel';
}

export class DeleteStreamsBody {
  @ApiPropertyOptional({ type: [String], maxItems: 1000 })
  @IsOptional()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  stream_ids?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 1000, description: 'non-empty names; all the names and ids together may match at most 1000 streams (400 beyond)' })
  @IsOptional()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MinLength(1, { each: true, message: 'each name must be non-empty: an empty name would match every unnamed stream' })
  @MaxLength(128, { each: true })
  names?: string[];
}

export class StreamListQuery extends CursorPageQuery {
  @StreamIdsFilter()
  stream_ids?: string[];

  @NamesFilter()
  names?: string[];

  @ApiPropertyOptional({ maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  reference?: string;

  @StatusesFilter()
  statuses?: string[];

  @TimeBound()
  create_time__gte?: string;

  @TimeBound()
  create_time__lt?: string;

  @ApiPropertyOptional({ pattern: GROUP_NAME.source })
  @IsOptional()
  @Matches(GROUP_NAME)
  group_name?: string;
}

/** The filters of the list without paging (count). */
export class StreamCountQuery extends StreamListQuery {}

export const LOG_TARGETS = ['stream_id', 'status', 'error', 'video_info', 'log_time', 'version'] as const;

export class StreamLogsQuery extends CursorPageQuery {
  @StreamIdsFilter()
  stream_ids?: string[];

  @StatusesFilter()
  statuses?: string[];

  @ApiPropertyOptional({ type: String, description: `comma-separated fields to return, of ${LOG_TARGETS.join(', ')} (default: all)` })
  @IsOptional()
  @CommaList()
  @IsIn(LOG_TARGETS, { each: true, message: `each target must be one of ${LOG_TARGETS.join(', ')}` })
  targets?: string[];

  @TimeBound()
  log_time__gte?: string;

  @TimeBound()
  log_time__lt?: string;
}

export class StreamWrittenResponse {
  @ApiProperty({ format: 'uuid' }) stream_id!: string;
  @ApiProperty() version!: number;
}

export class StreamResponse {
  @ApiProperty({ format: 'uuid' }) stream_id!: string;
  @ApiProperty({ format: 'uuid', description: "the workspace's id (Luna-Streams' account)" }) account_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) event_handler!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) policies!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'restart, attempt_count, delay, current_attempt, last_attempt_time' }) autorestart!: Record<string, unknown>;
  @ApiProperty({ type: StreamLocationResponse, description: 'every part null when none was given' }) location!: StreamLocationResponse;
  @ApiProperty({ enum: STREAM_STATUSES }) status!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) create_time!: string;
  @ApiProperty({ type: String, nullable: true }) last_error!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) video_info!: Record<string, unknown> | null;
  @ApiProperty({ type: [String], description: 'names of the groups the stream is in' }) groups!: string[];
}

export class StreamLogResponse {
  @ApiPropertyOptional({ format: 'uuid' }) stream_id?: string;
  @ApiPropertyOptional({ enum: STREAM_STATUSES }) status?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) error?: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true }) video_info?: Record<string, unknown> | null;
  @ApiPropertyOptional({ format: 'date-time' }) log_time?: string;
  @ApiPropertyOptional() version?: number;
}
