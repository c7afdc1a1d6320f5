import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export type { SchemaObject };

/** A small object schema for answers too slight to deserve a class (`{verified: true}` and the like). */
export function objectSchema(properties: Record<string, SchemaObject>): SchemaObject {
  return { type: 'object', properties, required: Object.keys(properties) };
}

/** The list envelope of API.md: `{items, page, page_size, total}` around one model, plus `total_exact` and `next_cursor` for lists read by key. */
export function ApiPageResponse(model: Type, description?: string, byKey = false) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      description,
      schema: objectSchema({
        items: { type: 'array', items: { $ref: getSchemaPath(model) } },
        page: { type: 'integer', minimum: 1 },
        page_size: { type: 'integer', minimum: 1, maximum: 100 },
        ...(byKey
          ? {
              total: { type: 'integer', minimum: 0, description: 'exact up to 1,000 matching rows, else an estimate (`total_exact: false`) unless `count=exact`' },
              total_exact: { type: 'boolean' },
              next_cursor: { type: 'string', nullable: true, description: 'pass as `cursor` for the next page; null on the last page' },
            }
          : { total: { type: 'integer', minimum: 0 } }),
      }),
    }),
  );
}
