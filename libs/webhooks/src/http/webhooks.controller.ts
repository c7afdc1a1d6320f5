import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, AsOfQuery, ConsistencyService, NotFoundError, objectSchema, PageQuery, ReadModels, ShownOnce, ValidationError } from '@streamplane/core';
import { CurrentWorkspace, RequireRole, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { RedeliverDelivery } from '../commands/delivery-commands';
import { CreateWebhook, DeleteWebhook, RecoverWebhook, RotateWebhookSecret, UpdateWebhook } from '../commands/webhook-commands';
import { EventFilter } from '../domain/webhook.events';
import { WebhookDirectory, WebhookView } from '../queries/webhook-directory';
import { WebhooksAsOf } from '../queries/webhooks-as-of';
import { CreatedWebhookResponse, CreateWebhookBody, DeliveriesQuery, DeliveryResponse, EventFilterBody, RecoverBody, UpdateWebhookBody, WebhookResponse } from './webhook.dto';

/** The filter as stored: only the lists given, so an absent list and an empty one read alike. */
function eventFilter(body: EventFilterBody | undefined): EventFilter {
  const filter: EventFilter = {};
  if (body?.types?.length) filter.types = body.types;
  if (body?.target_types?.length) filter.target_types = body.target_types;
  if (body?.target_ids?.length) filter.target_ids = body.target_ids;
  if (body?.error_only) filter.error_only = true;
  return filter;
}

@ApiTags('webhooks')
@ReadModels('webhooks')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/webhooks')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly webhooks: WebhookDirectory,
    private readonly consistency: ConsistencyService,
    private readonly asOf: WebhooksAsOf,
  ) {}

  @Post()
  @RequireRole('admin')
  @ShownOnce('secret')
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  @ApiBadRequestResponse({ description: 'a field is invalid, or the url is not http(s) or resolves to a private address' })
  @ApiConflictResponse({ description: 'the name is taken in the workspace' })
  async create(@CurrentWorkspace() workspace: WorkspaceAccess, @Body() body: CreateWebhookBody) {
    const settings = { name: body.name, url: body.url, authorization_header: body.authorization_header ?? null, event_filter: eventFilter(body.event_filter) };
    const { id, secret } = await this.commands.execute(new CreateWebhook(workspace.id, settings, body.is_enabled ?? true));
    return { ...(await this.afterWrite(workspace.id, id)), secret };
  }

  @Get()
  @ApiPageResponse(WebhookResponse, 'the workspace’s webhooks, oldest first; never their secrets')
  async list(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: PageQuery) {
    const { page, pageSize, offset } = PageQuery.resolve(query);
    const { items, total } = await this.webhooks.list(workspace.id, pageSize, offset);
    return { items, page, page_size: pageSize, total };
  }

  @Get(':webhook_id')
  @ApiOkResponse({ type: WebhookResponse, description: 'the webhook now, or with `as_of`/`as_of_position` as it was then' })
  @ApiBadRequestResponse({ description: 'an unparsable as_of or as_of_position, or both given' })
  async get(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('webhook_id', ParseUUIDPipe) webhookId: string, @Query() query: AsOfQuery) {
    const point = AsOfQuery.pointOf(query);
    return found(point ? await this.asOf.webhook(workspace.id, webhookId, point) : await this.webhooks.get(workspace.id, webhookId));
  }

  @Patch(':webhook_id')
  @RequireRole('admin')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiBadRequestResponse({ description: 'nothing to change, or a field is invalid' })
  @ApiConflictResponse({ description: 'the new name is taken in the workspace' })
  async update(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('webhook_id', ParseUUIDPipe) webhookId: string, @Body() body: UpdateWebhookBody) {
    const { name, url, authorization_header: authorization, event_filter: filter, is_enabled: isEnabled } = body;
    if ([name, url, authorization, filter, isEnabled].every((v) => v === undefined)) {
      throw new ValidationError('nothing to change', [{ field: 'body', message: 'give name, url, authorization_header, event_filter or is_enabled' }]);
    }
    const changes = {
      ...(name !== undefined ? { name } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(authorization !== undefined ? { authorization_header: authorization } : {}),
      ...(filter !== undefined ? { event_filter: eventFilter(filter) } : {}),
    };
    await this.commands.execute(new UpdateWebhook(workspace.id, webhookId, changes, isEnabled));
    return this.afterWrite(workspace.id, webhookId);
  }

  @Delete(':webhook_id')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiNoContentResponse({ description: 'deleted; its pending deliveries end at once (failed), nothing more is sent' })
  async delete(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('webhook_id', ParseUUIDPipe) webhookId: string) {
    await this.commands.execute(new DeleteWebhook(workspace.id, webhookId));
  }

  @Get(':webhook_id/deliveries')
  @ApiPageResponse(DeliveryResponse, 'the webhook’s deliveries, newest event first, each with its attempts')
  async deliveries(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('webhook_id', ParseUUIDPipe) webhookId: string, @Query() query: DeliveriesQuery) {
    found(await this.webhooks.get(workspace.id, webhookId));
    const { page, pageSize, offset } = PageQuery.resolve(query);
    const { items, total } = await this.webhooks.deliveries(workspace.id, webhookId, { status: query.status, eventId: query.event_id }, pageSize, offset);
    return { items, page, page_size: pageSize, total };
  }

  @Post(':webhook_id/rotate-secret')
  @HttpCode(200)
  @RequireRole('admin')
  @ShownOnce('secret')
  @ApiOkResponse({ schema: objectSchema({ secret: { type: 'string', description: 'the new `whsec_…` secret, shown only here; the previous one keeps signing beside it for 24 h' } }) })
  async rotateSecret(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('webhook_id', ParseUUIDPipe) webhookId: string) {
    return this.commands.execute(new RotateWebhookSecret(workspace.id, webhookId));
  }

  @Post(':webhook_id/deliveries/:delivery_id/redeliver')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiAcceptedResponse({ schema: objectSchema({ delivery_id: { type: 'string', format: 'uuid' } }), description: 'the delivery is sent again at once, as its next attempt' })
  @ApiBadRequestResponse({ description: 'the delivery is still being attempted' })
  async redeliver(
    @CurrentWorkspace() workspace: WorkspaceAccess,
    @Param('webhook_id', ParseUUIDPipe) webhookId: string,
    @Param('delivery_id', ParseUUIDPipe) deliveryId: string,
  ) {
    return this.commands.execute(new RedeliverDelivery(workspace.id, webhookId, deliveryId));
  }

  @Post(':webhook_id/recover')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiAcceptedResponse({ schema: objectSchema({ id: { type: 'string', format: 'uuid' } }), description: 'every event since `since` that passes the filter is delivered again' })
  @ApiBadRequestResponse({ description: 'since is invalid or in the future, or the webhook is disabled' })
  async recover(@CurrentWorkspace() workspace: WorkspaceAccess, @Param('webhook_id', ParseUUIDPipe) webhookId: string, @Body() body: RecoverBody) {
    return this.commands.execute(new RecoverWebhook(workspace.id, webhookId, new Date(body.since)));
  }

  private async afterWrite(workspaceId: string, webhookId: string): Promise<WebhookView> {
    await this.consistency.waitForOwnWrites(['webhooks']);
    return found(await this.webhooks.get(workspaceId, webhookId));
  }
}

function found(view: WebhookView | undefined): WebhookView {
  if (!view) throw new NotFoundError('no such webhook');
  return view;
}
