import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';

export class CreateClusterBody {
  @ApiProperty({ maxLength: 64 })
  @IsString()
  @Length(1, 64)
  name!: string;

  @ApiProperty({ maxLength: 128, description: 'one of GET /v1/catalog/versions' })
  @IsString()
  @Length(1, 128)
  image_version!: string;

  @ApiPropertyOptional({ maxLength: 256, nullable: true, type: String, description: 'the token media-node clients present to its instances: a credential, kept only as its SHA-256 and never shown again' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(256)
  token?: string | null;
}

export class UpdateClusterBody {
  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;

  @ApiPropertyOptional({ maxLength: 128, description: 'rolls out to the cluster’s instances' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  image_version?: string;

  @ApiPropertyOptional({ maxLength: 256, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(256)
  token?: string | null;
}

export class ClusterResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() image_version!: string;
  @ApiProperty({ description: 'whether a token is set (the token is write-only)' }) token_set!: boolean;
  @ApiProperty({ enum: ['running'] }) status!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'versions no rollback may go back to, each with its reason (POST …/versions/{image_version}/no-rollback)' })
  no_rollback!: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty() version!: number;
}
