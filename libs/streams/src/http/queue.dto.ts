import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { FEEDBACK_STATUSES } from '../commands/queue-commands';
import { GROUP_NAME, NamesFilter, StreamIdsFilter } from './stream.dto';

export class QueuePeekQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @StreamIdsFilter()
  stream_ids?: string[];

  @NamesFilter()
  names?: string[];
}

export class TakeFilters {
  @ApiPropertyOptional({ type: [String], maxItems: 1000 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  stream_ids?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 1000 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  names?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 100 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(GROUP_NAME, { each: true, message: 'each group name must match ^[a-zA-Z0-9_-]{1,128}$' })
  group_names?: string[];
}

export class TakeBody {
  @ApiProperty({ minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  limit!: number;

  @ApiPropertyOptional({ type: TakeFilters, description: 'take only streams matching every filter given' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TakeFilters)
  filters?: TakeFilters;
}

export class FeedbackItem {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  stream_id!: string;

  @ApiProperty({ enum: FEEDBACK_STATUSES, description: '`in_progress` is a heartbeat' })
  @IsIn(FEEDBACK_STATUSES)
  status!: (typeof FEEDBACK_STATUSES)[number];

  @ApiPropertyOptional({ maxLength: 4096, description: 'why it failed (with `failure`)' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  error?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  video_info?: Record<string, unknown>;
}

export class FeedbackBody {
  @ApiProperty({ type: [FeedbackItem], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => FeedbackItem)
  streams!: FeedbackItem[];
}

export class FeedbackResult {
  @ApiProperty({ format: 'uuid' }) stream_id!: string;
  @ApiProperty() accepted!: boolean;
  @ApiPropertyOptional({ enum: ['not_found'], description: 'the stream is gone (deleted, maybe while the handler held it): stop working on it' }) status?: 'not_found';
  @ApiPropertyOptional({ description: 'why it was not accepted' }) detail?: string;
}

export class FeedbackResponse {
  @ApiProperty({ type: [FeedbackResult] }) items!: FeedbackResult[];
}
