import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { PageQuery } from '@streamplane/core';
import { INSTANCE_STATUSES } from '../domain/instance.decider';

const ROUTING_KEY = /^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/;
const ROUTING_KEY_RULE = 'routing_key must be 1 to 50 lowercase letters, digits and inner dashes';

export class CreateInstanceBody {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  cluster_id!: string;

  @ApiPropertyOptional({ default: 'xsmall', description: 'one of GET /v1/catalog/machine-types' })
  @IsOptional()
  @IsString()
  machine_type?: string;

  @ApiPropertyOptional({ default: 'eu_central', description: 'one of GET /v1/catalog/locations' })
  @IsOptional()
  @IsString()
  location?: string;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;

  @ApiPropertyOptional({ maxLength: 50, pattern: ROUTING_KEY.source, description: 'unique across all workspaces' })
  @IsOptional()
  @Matches(ROUTING_KEY, { message: ROUTING_KEY_RULE })
  routing_key?: string;
}

export class UpdateInstanceBody {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  machine_type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  location?: string;

  @ApiPropertyOptional({ maxLength: 50, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(ROUTING_KEY, { message: ROUTING_KEY_RULE })
  routing_key?: string | null;
}

export class InstanceListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  cluster_id?: string;

  @ApiPropertyOptional({ enum: INSTANCE_STATUSES })
  @IsOptional()
  @IsIn(INSTANCE_STATUSES)
  status?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'include_archived must be true or false' })
  include_archived?: boolean;
}

export class InstanceResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ enum: INSTANCE_STATUSES }) status!: string;
  @ApiProperty({ format: 'uuid' }) cluster_id!: string;
  @ApiProperty() machine_type!: string;
  @ApiProperty() location!: string;
  @ApiProperty({ type: String, nullable: true }) routing_key!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'where the running instance answers' }) endpoint!: string | null;
  @ApiProperty() image_version!: string;
  @ApiProperty({ type: String, nullable: true, description: 'why provisioning failed' }) last_error!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty() version!: number;
}
