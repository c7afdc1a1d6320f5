import { DynamicModule, Type } from '@nestjs/common';

/** The product's bounded contexts (libs/*), each a Nest module with its commands, queries and routes. */
export const CONTEXT_MODULES: Array<Type | DynamicModule> = [];
