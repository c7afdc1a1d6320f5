import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { PageQuery } from '@streamplane/core';

const booleanParam = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class AdminUsersQuery extends PageQuery {
  @ApiPropertyOptional({ maxLength: 254, description: 'a part of the email address, in any letter case' })
  @IsOptional()
  @IsString()
  @Length(1, 254)
  email?: string;

  @ApiPropertyOptional({ description: 'only platform admins (true) or only the others (false)' })
  @IsOptional()
  @Transform(booleanParam)
  @IsBoolean({ message: 'is_platform_admin must be true or false' })
  is_platform_admin?: boolean;
}

export class InstanceLimitBody {
  @ApiProperty({ minimum: 0, maximum: 10000 })
  @IsInt()
  @Min(0)
  @Max(10000)
  instance_limit!: number;
}

export class AdminUserResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() verified!: boolean;
  @ApiProperty() is_platform_admin!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ description: 'live workspaces the user is a member of, owned ones included' }) workspaces!: number;
}

export class InstanceLimitResponse {
  @ApiProperty({ format: 'uuid' }) workspace_id!: string;
  @ApiProperty() instance_limit!: number;
  @ApiProperty({ description: "the workspace's version after the change" }) version!: number;
}
