import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '@streamplane/core';
import { DEPLOY_STATUSES } from '../queries/deploy-directory';
import { DeployResponse } from './instance.dto';

export class DeployListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  cluster_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  instance_id?: string;

  @ApiPropertyOptional({ enum: DEPLOY_STATUSES })
  @IsOptional()
  @IsIn(DEPLOY_STATUSES)
  status?: string;

  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  image_version?: string;
}

export class CancelDeployBody {
  @ApiProperty({ minLength: 1, maxLength: 1000, description: 'why; kept in the deploy and its log' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class DeployActor {
  @ApiProperty({ enum: ['user', 'token', 'system', 'worker'] }) type!: string;
  @ApiProperty() id!: string;
}

/** A deploy as the workspace-wide list shows it (Tsuru's deploy list). */
export class DeployRecordResponse extends DeployResponse {
  @ApiProperty({ format: 'uuid' }) instance_id!: string;
  @ApiProperty({ format: 'uuid' }) cluster_id!: string;
  @ApiProperty({ type: DeployActor, description: 'who asked for it; a cluster rollout’s deploys name the worker that rolled it out' }) requested_by!: { type: string; id: string };
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when its job began replacing the instance; null while queued, or cancelled while queued' }) started_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finished_at!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'finished_at − started_at; null until both are known' }) duration_ms!: number | null;
  @ApiProperty({ type: String, nullable: true }) cancel_reason!: string | null;
}

export class DeployLogLine {
  @ApiProperty({ format: 'date-time' }) time!: string;
  @ApiProperty() line!: string;
}

export class DeployDetailResponse extends DeployRecordResponse {
  @ApiProperty({ type: [DeployLogLine], description: 'its steps, oldest first' }) log!: DeployLogLine[];
}
