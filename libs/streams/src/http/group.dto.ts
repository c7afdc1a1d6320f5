import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CommaList, CursorPageQuery } from '@streamplane/core';
import { GROUP_NAME } from './stream.dto';

export class CreateGroupBody {
  @ApiProperty({ pattern: GROUP_NAME.source })
  @Matches(GROUP_NAME, { message: 'group_name must match ^[a-zA-Z0-9_-]{1,128}$' })
  group_name!: string;

  @ApiPropertyOptional({ maxLength: 256, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  description?: string;
}

export class UpdateGroupBody {
  @ApiProperty({ maxLength: 256 })
  @IsString()
  @MaxLength(256)
  description!: string;
}

export class GroupListQuery extends CursorPageQuery {
  @ApiPropertyOptional({ type: String, description: 'comma-separated group ids' })
  @IsOptional()
  @CommaList()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  group_ids?: string[];

  @ApiPropertyOptional({ type: String, description: 'comma-separated group names' })
  @IsOptional()
  @CommaList()
  @ArrayMaxSize(1000)
  @Matches(GROUP_NAME, { each: true })
  group_names?: string[];
}

export class LinkStreamsBody {
  @ApiProperty({ enum: ['attach', 'detach'] })
  @IsIn(['attach', 'detach'])
  action!: 'attach' | 'detach';

  @ApiProperty({ type: [String], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  stream_ids!: string[];
}

export class GroupResponse {
  @ApiProperty({ format: 'uuid' }) group_id!: string;
  @ApiProperty() group_name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'date-time' }) create_time!: string;
  @ApiProperty() stream_count!: number;
  @ApiProperty() version!: number;
}
