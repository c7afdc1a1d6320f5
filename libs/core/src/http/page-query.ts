import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE = 1_000_000;

/** `page` and `page_size` of API.md's list convention; extend it with a route's own filters. */
export class PageQuery {
  // Bounded so the row offset stays a small integer: page=1e18 once overflowed PostgreSQL's bigint (a 500).
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
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
