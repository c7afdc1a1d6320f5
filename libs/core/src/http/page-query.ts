import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const MAX_PAGE = 1_000_000;

/** `page` and `page_size` of API.md's list convention; extend it with a route's own filters. */
export class PageQuery {
  // Bounded so the row offset stays a small integer: page=1e18 once overflowed PostgreSQL's bigint (a 500).
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1, description: 'by row offset: the deeper the page, the slower; prefer `cursor`' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  page_size?: number;

  /** Page and size with the contract's defaults, and the row offset they start at. */
  static resolve(query: PageQuery): { page: number; pageSize: number; offset: number } {
    const page = query.page ?? 1;
    const pageSize = query.page_size ?? 20;
    return { page, pageSize, offset: (page - 1) * pageSize };
  }
}

/** A list read by key (listByKey): `page`/`page_size`, plus `cursor` and `count`. */
export class CursorPageQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'the `next_cursor` of the previous answer, with the same filters; takes precedence over `page`' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;

  @ApiPropertyOptional({ enum: ['exact'], description: '`exact`: count `total` over every matching row, however many' })
  @IsOptional()
  @IsIn(['exact'])
  count?: 'exact';
}
