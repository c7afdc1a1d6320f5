import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { ASSIGNABLE_ROLES, AssignableRole, ROLES } from '../domain/roles';

export class CreateWorkspaceBody {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

export class UpdateWorkspaceBody {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

export class AddMemberBody {
  @ApiProperty({ example: 'grace@example.com' })
  @IsEmail({}, { message: 'must be an email address' })
  email!: string;

  @ApiProperty({ enum: ASSIGNABLE_ROLES })
  @IsIn(ASSIGNABLE_ROLES, { message: `must be one of ${ASSIGNABLE_ROLES.join(', ')}` })
  role!: AssignableRole;
}

export class ChangeRoleBody {
  @ApiProperty({ enum: ASSIGNABLE_ROLES })
  @IsIn(ASSIGNABLE_ROLES, { message: `must be one of ${ASSIGNABLE_ROLES.join(', ')}` })
  role!: AssignableRole;
}

export class TransferOwnershipBody {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  user_id!: string;
}

export class LimitRequestBody {
  @ApiProperty({ minimum: 0, maximum: 10000 })
  @IsInt()
  @Min(0)
  @Max(10000)
  desired_limit!: number;

  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class WorkspaceResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'uuid' }) owner_id!: string;
  @ApiProperty({ enum: [...ROLES, 'auditor'] }) role!: string;
  @ApiProperty() instance_limit!: number;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty() version!: number;
}

export class MemberResponse {
  @ApiProperty({ format: 'uuid' }) user_id!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ enum: [...ROLES, 'auditor'] }) role!: string;
  @ApiProperty({ format: 'date-time' }) joined_at!: string;
}

export class AddedMemberResponse {
  @ApiProperty({ enum: ['member', 'invited'], description: 'always `invited` now: the answer does not tell whether the email has an account' }) status!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'never set since every email is invited; kept in the contract' }) user_id?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the invitation, accepted by its account at `POST /v1/me/invitations/{id}/accept`' }) invitation_id?: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ASSIGNABLE_ROLES }) role!: string;
}

export class InvitationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ enum: ASSIGNABLE_ROLES }) role!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class LimitRequestResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) workspace_id!: string;
  @ApiProperty() desired_limit!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected'] }) status!: string;
  @ApiPropertyOptional({ format: 'date-time' }) created_at?: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) decided_at?: string | null;
}
