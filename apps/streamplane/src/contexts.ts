import { DynamicModule, Type } from '@nestjs/common';
import { AuditModule } from '@streamplane/audit';
import { FleetModule } from '@streamplane/fleet';
import { IdentityModule } from '@streamplane/identity';
import { MeteringModule } from '@streamplane/metering';
import { StreamsModule } from '@streamplane/streams';
import { WebhooksModule } from '@streamplane/webhooks';

/** The product's bounded contexts (libs/*), each a Nest module with its commands, queries and routes. */
export const CONTEXT_MODULES: Array<Type | DynamicModule> = [IdentityModule, StreamsModule, FleetModule, MeteringModule, WebhooksModule, AuditModule];
