import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { ValidationError } from '../domain/domain-errors';
import { AsOf } from '../projections/read-as-of';

/** `?as_of` / `?as_of_position` on an entity's live read (API.md, Audit): the entity as it was then. */
export class AsOfQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'the entity as it was at this time, folded from its events' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'as_of must be an ISO 8601 date-time' })
  as_of?: string;

  @ApiPropertyOptional({ type: String, description: 'the entity as it was once the log reached this position' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'as_of_position must be a log position: a decimal string of up to 18 digits' })
  as_of_position?: string;

  /** The point asked for; undefined for the live read. */
  static pointOf(query: AsOfQuery): AsOf | undefined {
    if (query.as_of !== undefined && query.as_of_position !== undefined) {
      throw new ValidationError('give as_of or as_of_position, not both', [{ field: 'as_of_position', message: 'as_of_position and as_of exclude each other' }]);
    }
    if (query.as_of_position !== undefined) return { position: BigInt(query.as_of_position) };
    if (query.as_of !== undefined) return { time: new Date(query.as_of) };
    return undefined;
  }
}
