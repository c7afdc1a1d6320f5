import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { DeployActor } from './deploy.dto';

export class PlaceDeployBlockBody {
  @ApiProperty({ minLength: 1, maxLength: 1000, description: 'why deploys are frozen; shown in every 409 it causes' })
  @IsString()
  @Length(1, 1000)
  reason!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'freeze only this cluster; without it, the whole workspace' })
  @IsOptional()
  @IsUUID()
  cluster_id?: string;
}

export class DeployBlockResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: the whole workspace' }) cluster_id!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: DeployActor }) created_by!: DeployActor;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty() version!: number;
}
