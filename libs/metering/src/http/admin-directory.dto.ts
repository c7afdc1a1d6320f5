import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '@streamplane/core';
import { UnitsQuery } from './usage.dto';

export class AdminUnitsQuery extends UnitsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "one workspace's units; every workspace's without it" })
  @IsOptional()
  @IsUUID()
  workspace_id?: string;
}

export class AdminWorkspacesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  owner_id?: string;

  @ApiPropertyOptional({ maxLength: 128, description: 'a part of the name, in any letter case' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  name?: string;
}

export class AdminWorkspaceResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) owner_id!: string;
  @ApiProperty() instance_limit!: number;
  @ApiProperty({ description: 'members, the owner included' }) members!: number;
  @ApiProperty({ description: 'instances with a metered run open now' }) instances_running!: number;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

