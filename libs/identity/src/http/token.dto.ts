import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ValidationError } from '@streamplane/core';

/** A token's `expires_at` as a date, refused (400 naming it) unless it is in the future. */
export function futureExpiry(expiresAt: string | undefined, now: Date): Date | null {
  const at = expiresAt ? new Date(expiresAt) : null;
  if (at && at.getTime() <= now.getTime()) throw new ValidationError('the request has invalid fields', [{ field: 'expires_at', message: 'must be in the future' }]);
  return at;
}

export class CreateTokenBody {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'bind the token to one workspace' })
  @IsOptional()
  @IsUUID()
  workspace_id?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  expires_at?: string;
}

export class ApiTokenResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid', nullable: true }) workspace_id!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true }) last_used_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) expires_at!: string | null;
}

export class CreatedTokenResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'shown once; store it now' }) token!: string;
}
