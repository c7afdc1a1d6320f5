import { DynamicModule, Type } from '@nestjs/common';
import { IdentityModule } from '@streamplane/identity';

/** The product's bounded contexts (libs/*), each a Nest module with its commands, queries and routes. */
export const CONTEXT_MODULES: Array<Type | DynamicModule> = [IdentityModule];
