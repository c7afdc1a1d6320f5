import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, productVersion } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { redactConfig } from './redact-config';
import { PlatformAdminGuard } from './admin.guard';


@ApiTags('platform')
@Controller('v1')
export class VersionController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('version')
  @ApiOkResponse({ description: '`{version, event_store: "postgres"|"eventstoredb"}`' })
  version() {
    return { version: productVersion(), event_store: this.store.kind };
  }

  @Get('config')
  @UseGuards(PlatformAdminGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'effective configuration; every secret is "***"' })
  effectiveConfig() {
    return redactConfig(this.config);
  }
}
