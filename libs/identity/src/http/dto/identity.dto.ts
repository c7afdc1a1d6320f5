import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsEmail, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

const PASSWORD = { minLength: 10, maxLength: 256 };

export class CredentialsBody {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: PASSWORD.minLength, maxLength: PASSWORD.maxLength })
  @IsString()
  @Length(PASSWORD.minLength, PASSWORD.maxLength, { message: `must be ${PASSWORD.minLength} to ${PASSWORD.maxLength} characters` })
  password!: string;
}

export class SignInBody {
  @ApiProperty({ example: 'ada@example.com' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD.maxLength)
  password!: string;
}

export class VerifyBody {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  verification_token!: string;
}

export class ResetPasswordBody {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail({}, { message: 'must be an email address' })
  email!: string;
}

export class ConfirmResetBody {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  user_id!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  token!: string;

  @ApiProperty({ minLength: PASSWORD.minLength })
  @IsString()
  @Length(PASSWORD.minLength, PASSWORD.maxLength, { message: `must be ${PASSWORD.minLength} to ${PASSWORD.maxLength} characters` })
  password!: string;
}

export class ChangePasswordBody {
  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD.maxLength)
  old_password!: string;

  @ApiProperty({ minLength: PASSWORD.minLength })
  @IsString()
  @Length(PASSWORD.minLength, PASSWORD.maxLength, { message: `must be ${PASSWORD.minLength} to ${PASSWORD.maxLength} characters` })
  new_password!: string;
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

export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() verified!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty() is_platform_admin!: boolean;
}

export class SignInResponse {
  @ApiProperty({ description: 'session token for Authorization: Bearer' }) token!: string;
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
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
