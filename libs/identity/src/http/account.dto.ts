import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, IsUUID, Length, MaxLength } from 'class-validator';

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
