import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, objectSchema, productVersion } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { redactConfig } from './redact-config';
import { PlatformAdmin } from '@streamplane/identity';

@ApiTags('platform')
@Controller('v1')
export class VersionController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('version')
  @ApiOkResponse({ schema: objectSchema({ version: { type: 'string' }, event_store: { type: 'string', enum: ['postgres', 'eventstoredb'] } }) })
  version() {
    return { version: productVersion(), event_store: this.store.kind };
  }

  @Get('config')
  @PlatformAdmin()
  @ApiOkResponse({ description: 'effective configuration; every secret is "***"', schema: { type: 'object', additionalProperties: true } })
  effectiveConfig() {
    return redactConfig(this.config);
  }
}
