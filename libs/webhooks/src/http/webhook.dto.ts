import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDateString, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { PageQuery } from '@streamplane/core';

export class EventFilterBody {
  @ApiPropertyOptional({ type: [String], maxItems: 100, description: 'event types (as in the events API), e.g. `InstanceCrashed`' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  types?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 100, description: 'what events are about: `stream`, `instance`, `cluster`, `webhook`…' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  target_types?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 1000, description: 'ids of the entities the events are about' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  target_ids?: string[];

  @ApiPropertyOptional({ description: 'only failures (`…Failed`, `…Crashed`, `…Lost`, or an `error` in the data)' })
  @IsOptional()
  @IsBoolean()
  error_only?: boolean;
}

export class CreateWebhookBody {
  @ApiProperty({ maxLength: 64, description: 'unique in the workspace' })
  @IsString()
  @Length(1, 64)
  name!: string;

  @ApiProperty({ maxLength: 2048, description: 'http or https; not loopback, private or link-local unless WEBHOOK_ALLOW_PRIVATE=true' })
  @IsString()
  @Length(1, 2048)
  url!: string;

  @ApiPropertyOptional({ maxLength: 1024, nullable: true, type: String, description: 'sent as the `Authorization` header of every delivery' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(1024)
  authorization_header?: string | null;

  @ApiPropertyOptional({ type: EventFilterBody, description: 'which events are delivered; every event of the workspace when absent' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EventFilterBody)
  event_filter?: EventFilterBody;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  is_enabled?: boolean;
}

export class UpdateWebhookBody {
  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2048 })
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  url?: string;

  @ApiPropertyOptional({ maxLength: 1024, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(1024)
  authorization_header?: string | null;

  @ApiPropertyOptional({ type: EventFilterBody })
  @IsOptional()
  @ValidateNested()
  @Type(() => EventFilterBody)
  event_filter?: EventFilterBody;

  @ApiPropertyOptional({ description: 'false stops deliveries; true resumes them with events from now on' })
  @IsOptional()
  @IsBoolean()
  is_enabled?: boolean;
}

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export class DeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  event_id?: string;
}

export class EventFilterResponse {
  @ApiPropertyOptional({ type: [String] }) types?: string[];
  @ApiPropertyOptional({ type: [String] }) target_types?: string[];
  @ApiPropertyOptional({ type: [String] }) target_ids?: string[];
  @ApiPropertyOptional() error_only?: boolean;
}

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ nullable: true, type: String }) authorization_header!: string | null;
  @ApiProperty({ type: EventFilterResponse }) event_filter!: EventFilterResponse;
  @ApiProperty() is_enabled!: boolean;
  @ApiProperty({ nullable: true, type: String, enum: ['requested', 'gone', 'failing'] }) disabled_reason!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty() version!: number;
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({ description: '`whsec_…`, the signing secret: shown only in this answer' }) secret!: string;
}

export class DeliveryAttemptResponse {
  @ApiProperty() n!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: Number }) status_code!: number | null;
  @ApiProperty() duration_ms!: number;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
}

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() event_id!: string;
  @ApiProperty() event_type!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
  @ApiProperty({ type: [DeliveryAttemptResponse] }) attempts!: DeliveryAttemptResponse[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) next_attempt_at!: string | null;
}

export class RecoverBody {
  @ApiProperty({ format: 'date-time', description: 'every matching event recorded since then is delivered again' })
  @IsDateString({ strict: true })
  since!: string;
}
