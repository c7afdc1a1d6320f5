import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
} from 'class-validator';
import { CommaList, CursorPageQuery } from '@streamplane/core';
import { INSTANCE_STATUSES } from '../domain/instance.decider';
import { EnvValue } from '../commands/env-commands';
import { DEPLOY_STATUSES } from '../queries/deploy-directory';
import { LOG_SEVERITIES, LogSeverity } from '../provisioner/log-lines';

const ROUTING_KEY = /^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/;
const ROUTING_KEY_RULE = 'routing_key must be 1 to 50 lowercase letters, digits and inner dashes';

/** Tags are lowercase words, like labels elsewhere: `eu`, `tier:gold`, `cam.lobby`. */
export const TAG = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;
const TAG_RULE = 'each tag must be 1 to 64 lowercase letters, digits, _ . : - (starting with a letter or digit)';
export const MAX_TAGS = 20;
export const MAX_DESCRIPTION = 512;

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
  @ApiPropertyOptional({ maxLength: 64, nullable: true, type: String, description: 'renames it (null clears the name); never restarts it' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, 64)
  name?: string | null;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION, description: 'free text; an empty string clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS, description: `replaces its tags (each ${TAG.source}; a repeated one counts once)` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @Matches(TAG, { each: true, message: TAG_RULE })
  tags?: string[];

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

export class InstanceListQuery extends CursorPageQuery {
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

  @ApiPropertyOptional({ maxLength: 64, description: 'instances of exactly this name' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;

  @ApiPropertyOptional({ maxLength: 64, description: 'one of GET /v1/catalog/locations' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  location?: string;

  @ApiPropertyOptional({ maxLength: 64, description: 'one of GET /v1/catalog/machine-types' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  machine_type?: string;

  @ApiPropertyOptional({ type: String, description: `comma-separated tags: instances carrying every one (at most ${MAX_TAGS})` })
  @IsOptional()
  @CommaList()
  @ArrayMaxSize(MAX_TAGS)
  @Matches(TAG, { each: true, message: TAG_RULE })
  tag?: string[];
}

export class InstanceResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ description: "free text, '' when none" }) description!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ enum: INSTANCE_STATUSES }) status!: string;
  @ApiProperty({ format: 'uuid' }) cluster_id!: string;
  @ApiProperty() machine_type!: string;
  @ApiProperty() location!: string;
  @ApiProperty({ type: String, nullable: true }) routing_key!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'where the running instance answers' }) endpoint!: string | null;
  @ApiProperty() image_version!: string;
  @ApiProperty({ type: String, nullable: true, description: 'why provisioning failed' }) last_error!: string | null;
  @ApiProperty({ type: [String], description: 'names of its environment variables (values: GET …/env)' }) env_names!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'the worker host that runs it (WORKER_HOST_ID)' }) host!: string | null;
  @ApiProperty({ description: 'its worker host stopped reporting: it is not health-checked, and not started elsewhere' }) host_lost!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty() version!: number;
}

export const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

export class DeployBody {
  @ApiProperty({ description: 'one of GET /v1/catalog/versions' })
  @IsString()
  @Length(1, 128)
  image_version!: string;
}

export class RollbackBody {
  @ApiPropertyOptional({ format: 'uuid', description: 'the deploy whose version to go back to; default: the previous version that ran successfully' })
  @IsOptional()
  @IsUUID()
  deploy_id?: string;
}

/** A variable as PUT takes it: a value in clear, or `{value, secret}` (secret: write-only, sealed at rest). */
/** The commands' type: a request's env values go to SetInstanceEnv as they are. */
export type EnvInput = EnvValue;

const isEnvValue = (v: unknown): boolean => {
  if (typeof v === 'string') return v.length <= 4096;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const { value, secret, ...rest } = v as Record<string, unknown>;
  return Object.keys(rest).length === 0 && typeof value === 'string' && value.length <= 4096 && (secret === undefined || typeof secret === 'boolean');
};

/** `envs` names follow `[A-Z_][A-Z0-9_]*`; values are strings (or `{value, secret}`) of at most 4096 characters; at most 100 at once. */
function IsEnvMap() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isEnvMap',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= 100 &&
          Object.entries(value).every(([name, v]) => ENV_NAME.test(name) && isEnvValue(v)),
        defaultMessage: () => 'envs must map names like [A-Z_][A-Z0-9_]* to strings or {value, secret} (at most 100, each value at most 4096 characters)',
      },
    });
}

export class SetEnvBody {
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string', maxLength: 4096 }, { type: 'object', required: ['value'], properties: { value: { type: 'string', maxLength: 4096 }, secret: { type: 'boolean' } } }] },
    example: { LOG_LEVEL: 'debug', API_KEY: { value: 's3cret', secret: true } },
    description: 'a value in clear, or {value, secret: true}: sealed at rest, never shown again (reads give {secret: true, value: null})',
  })
  @IsEnvMap()
  envs!: Record<string, EnvInput>;

  @ApiPropertyOptional({ default: false, description: 'restart the instance so the change applies now' })
  @IsOptional()
  @IsBoolean()
  restart?: boolean;
}

export class UnsetEnvQuery {
  @ApiProperty({ type: String, description: 'comma-separated names' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value))
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(ENV_NAME, { each: true, message: 'each name must match [A-Z_][A-Z0-9_]*' })
  names!: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'restart must be true or false' })
  restart?: boolean;
}

export class LogsQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'lines written at or after it' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'lines written before it (not with follow)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;

  @ApiPropertyOptional({ enum: LOG_SEVERITIES, description: 'this severity and the more severe ones' })
  @IsOptional()
  @IsIn(LOG_SEVERITIES)
  severity?: LogSeverity;

  @ApiPropertyOptional({ default: false, description: 'true: text/event-stream, the last `limit` lines then each new one as it is written (resume with Last-Event-ID)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'follow must be true or false' })
  follow?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

export class DeployResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() image_version!: string;
  @ApiProperty() from_version!: string;
  @ApiProperty({ enum: ['deploy', 'rollback', 'rollout'] }) kind!: string;
  @ApiProperty({ enum: DEPLOY_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}
