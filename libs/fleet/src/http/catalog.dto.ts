import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** Names that sit in a URL path and an image tag: no slashes, spaces or leading dots. */
const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const MACHINE_TYPE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export class PublishVersionBody {
  @ApiProperty({ maxLength: 128, pattern: VERSION_PATTERN.source, example: '1.2.0' })
  @IsString()
  @Matches(VERSION_PATTERN, { message: 'version must be 1–128 letters, digits, dots, dashes, underscores or plus signs, starting with a letter or digit' })
  version!: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

export class PublishMachineTypeBody {
  @ApiProperty({ maxLength: 64, pattern: MACHINE_TYPE_PATTERN.source, example: 'xxlarge' })
  @IsString()
  @Matches(MACHINE_TYPE_PATTERN, { message: 'name must be 1–64 lowercase letters, digits, dashes or underscores' })
  name!: string;

  @ApiProperty({ minimum: 1, maximum: 1024 })
  @IsInt()
  @Min(1)
  @Max(1024)
  vcpu!: number;

  @ApiProperty({ minimum: 128, maximum: 4194304 })
  @IsInt()
  @Min(128)
  @Max(4194304)
  memory_mb!: number;

  @ApiProperty({ minimum: 0, maximum: 100000, description: 'average power draw, for energy and emissions' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100000)
  watts!: number;

  @ApiProperty({ minimum: 0, maximum: 100000 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100000)
  price_per_hour!: number;
}

class Retirable {
  @ApiProperty({ enum: ['available', 'retired'], description: 'a retired entry cannot be chosen for anything new; instances already on it keep running' })
  status!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  retired_at!: string | null;
}

export class MachineTypeResponse extends Retirable {
  @ApiProperty() name!: string;
  @ApiProperty() vcpu!: number;
  @ApiProperty() memory_mb!: number;
  @ApiProperty() watts!: number;
  @ApiProperty() price_per_hour!: number;
}

export class VersionResponse extends Retirable {
  @ApiProperty() version!: string;
  @ApiProperty({ format: 'date-time' }) released_at!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'the same as description (its name before the catalog went live)' }) notes!: string;
}

export class LocationResponse {
  @ApiProperty() name!: string;
  @ApiProperty() carbon_intensity_g_per_kwh!: number;
}
