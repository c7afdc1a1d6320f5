import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { SERVICE_SCOPES, ServiceScope } from '../domain/service-scopes';

export class CreateServiceTokenBody {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: SERVICE_SCOPES, isArray: true, description: '`streams:handle`: the queue take and feedback routes only; `workspace:read`: every read; `workspace:write`: what a member may do' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SERVICE_SCOPES.length)
  @IsIn(SERVICE_SCOPES, { each: true, message: `each scope must be one of ${SERVICE_SCOPES.join(', ')}` })
  scopes!: ServiceScope[];

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  expires_at?: string;
}

export class ServiceTokenResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SERVICE_SCOPES, isArray: true }) scopes!: ServiceScope[];
  @ApiProperty({ format: 'uuid', description: 'the member who made it; the token outlives them' }) created_by!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true }) last_used_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) expires_at!: string | null;
}

export class CreatedServiceTokenResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SERVICE_SCOPES, isArray: true }) scopes!: ServiceScope[];
  @ApiProperty({ format: 'date-time', nullable: true }) expires_at!: string | null;
  @ApiProperty({ description: 'shown once; store it now' }) token!: string;
}
