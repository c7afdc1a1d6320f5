import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsTimeZone, IsUUID, Length, Max, Min, NotEquals } from 'class-validator';
import { PageQuery } from '@streamplane/core';

export const USAGE_MODES = ['current', 'global'] as const;
export const USAGE_GROUPS = ['subject', 'cluster', 'machine_type', 'location'] as const;
export const USAGE_WINDOWS = ['hour', 'day', 'month'] as const;
export const SUBJECT_TYPES = ['instance', 'stream'] as const;

/** The filters every usage read shares. */
class UsageFilters {
  @ApiPropertyOptional({ format: 'date-time', description: 'start of the window (`current` only); default `to` − 24 h' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'end of the window; default now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  cluster_id?: string;

  @ApiPropertyOptional({ enum: SUBJECT_TYPES })
  @IsOptional()
  @IsIn(SUBJECT_TYPES)
  subject_type?: (typeof SUBJECT_TYPES)[number];
}

export class AdminStatsQuery extends PickType(UsageFilters, ['from', 'to'] as const) {}

export class UsageQueryParams extends UsageFilters {
  @ApiPropertyOptional({ enum: USAGE_GROUPS })
  @IsOptional()
  @IsIn(USAGE_GROUPS)
  group_by?: (typeof USAGE_GROUPS)[number];

  @ApiPropertyOptional({ enum: USAGE_WINDOWS, description: 'one item per window (and key), in the `tz` time zone' })
  @IsOptional()
  @IsIn(USAGE_WINDOWS)
  window?: (typeof USAGE_WINDOWS)[number];

  @ApiPropertyOptional({ default: 'UTC', description: 'IANA time zone for window boundaries, e.g. Europe/Warsaw' })
  @IsOptional()
  @IsTimeZone({ message: 'tz must be an IANA time zone such as Europe/Warsaw' })
  tz?: string;
}

export class AdminUsageQueryParams extends OmitType(UsageQueryParams, ['group_by'] as const) {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  workspace_id?: string;

  @ApiPropertyOptional({ enum: [...USAGE_GROUPS, 'workspace'] })
  @IsOptional()
  @IsIn([...USAGE_GROUPS, 'workspace'])
  group_by?: (typeof USAGE_GROUPS)[number] | 'workspace';
}

export class UnitsQuery extends IntersectionType(PageQuery, UsageFilters) {
  @ApiPropertyOptional({ description: 'only running (true) or only stopped (false) units' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'running must be true or false' })
  running?: boolean;
}

export class StatementsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}

export class UsageCorrectionBody {
  @ApiProperty({ format: 'uuid', description: 'the instance or stream whose usage is corrected' })
  @IsUUID()
  subject_id!: string;

  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to!: string;

  @ApiProperty({ description: 'signed: negative takes usage away', example: -600 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 })
  @NotEquals(0, { message: 'seconds_delta must not be 0' })
  @Min(-366 * 86400)
  @Max(366 * 86400)
  seconds_delta!: number;

  @ApiProperty({ minLength: 1, maxLength: 1000 })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

const AMOUNTS = {
  units: { type: 'integer' },
  seconds: { type: 'number' },
  energy_kwh: { type: 'number' },
  emissions_g: { type: 'number' },
  cost: { type: 'number' },
} as const;

export const USAGE_REPORT_SCHEMA = {
  type: 'object',
  properties: {
    window: { type: 'object', properties: { from: { type: 'string', format: 'date-time', nullable: true }, to: { type: 'string', format: 'date-time' } } },
    items: { type: 'array', items: { type: 'object', properties: { key: { type: 'string', nullable: true }, window_start: { type: 'string', format: 'date-time' }, ...AMOUNTS } } },
    totals: { type: 'object', properties: { ...AMOUNTS, currency: { type: 'string' } } },
    updated_at: { type: 'string', format: 'date-time' },
  },
};
