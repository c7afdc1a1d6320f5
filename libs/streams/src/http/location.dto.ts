import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { StreamLocation } from '../domain/stream.events';

/** Luna-Streams caps each address part at 36 characters; we take up to 128 so no Luna body is refused. */
const ADDRESS_PART_MAX = 128;

const AddressPart = () => applyDecorators(ApiPropertyOptional({ type: String, maxLength: ADDRESS_PART_MAX, nullable: true }), IsOptional(), IsString(), MaxLength(ADDRESS_PART_MAX));

export class StreamGeoPosition {
  @ApiProperty({ minimum: -180, maximum: 180 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude!: number;

  @ApiProperty({ minimum: -90, maximum: 90 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude!: number;
}

/** Luna-Streams' `location_to_be_created`: where the camera is; every part optional. */
export class LocationBody {
  @AddressPart() city?: string | null;
  @AddressPart() area?: string | null;
  @AddressPart() district?: string | null;
  @AddressPart() street?: string | null;
  @AddressPart() house_number?: string | null;

  @ApiPropertyOptional({ type: StreamGeoPosition, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => StreamGeoPosition)
  geo_position?: StreamGeoPosition | null;
}

export class StreamLocationResponse {
  @ApiProperty({ type: String, nullable: true }) city!: string | null;
  @ApiProperty({ type: String, nullable: true }) area!: string | null;
  @ApiProperty({ type: String, nullable: true }) district!: string | null;
  @ApiProperty({ type: String, nullable: true }) street!: string | null;
  @ApiProperty({ type: String, nullable: true }) house_number!: string | null;
  @ApiProperty({ type: StreamGeoPosition, nullable: true }) geo_position!: StreamGeoPosition | null;
}

/** The location as events keep it: every part present, null when not given. */
export function locationOf(body: LocationBody | undefined): StreamLocation | null {
  if (!body) return null;
  const geo = body.geo_position;
  return {
    city: body.city ?? null,
    area: body.area ?? null,
    district: body.district ?? null,
    street: body.street ?? null,
    house_number: body.house_number ?? null,
    geo_position: geo ? { longitude: geo.longitude, latitude: geo.latitude } : null,
  };
}
