import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export type { SchemaObject };

/** A small object schema for answers too slight to deserve a class (`{verified: true}` and the like). */
export function objectSchema(properties: Record<string, SchemaObject>): SchemaObject {
  return { type: 'object', properties, required: Object.keys(properties) };
}

/** The list envelope of API.md: `{items, page, page_size, total}` around one model. */
export function ApiPageResponse(model: Type, description?: string) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      description,
      schema: objectSchema({
        items: { type: 'array', items: { $ref: getSchemaPath(model) } },
        page: { type: 'integer', minimum: 1 },
        page_size: { type: 'integer', minimum: 1, maximum: 100 },
        total: { type: 'integer', minimum: 0 },
      }),
    }),
  );
}
