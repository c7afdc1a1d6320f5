import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { InvalidStateError } from '@streamplane/core';
import { PlatformAdmin } from '../auth/guards';
import { Mailer, MAILER } from '../mail/mailer';
import { OutboxMailer } from '../mail/outbox-mailer';

export class MailQuery {
  @ApiPropertyOptional({ description: 'only mails to this address' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class MailResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() to!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

class MailListResponse {
  @ApiProperty({ type: [MailResponse] }) items!: MailResponse[];
}

@ApiTags('admin')
@PlatformAdmin()
@Controller('v1/admin/mail')
export class AdminMailController {
  constructor(@Inject(MAILER) private readonly mailer: Mailer) {}

  @Get()
  @ApiOkResponse({ type: MailListResponse, description: 'newest first (outbox driver only)' })
  async list(@Query() query: MailQuery) {
    if (!(this.mailer instanceof OutboxMailer)) throw new InvalidStateError('mail goes out by SMTP; there is no outbox to list');
    return { items: await this.mailer.list(query.to, query.limit ?? 20) };
  }
}
