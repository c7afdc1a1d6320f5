import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig, CommandPipeline, newEntityId, Reservations, reservationStream, ValidationError } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { refusedUrl } from '../delivery/url-guard';
import { newSigningSecret } from '../delivery/signing';
import { webhooks } from '../domain/webhook.decider';
import { DisableReason, StoredWebhookSettings, WebhookSettings, webhookStreams } from '../domain/webhook.events';
import { WebhookSecrets } from '../secrets/webhook-secrets';

/** A webhook name is unique within its workspace: one reservation stream per (workspace, name). */
const webhookNameReservation = (workspaceId: string, name: string) => reservationStream('webhook_name', `${workspaceId}.${name}`);

async function checkUrl(url: string | undefined, config: AppConfig): Promise<void> {
  if (url === undefined) return;
  const refused = await refusedUrl(url, config.webhooks.allowPrivate);
  if (refused) throw new ValidationError('the request has invalid fields', [{ field: 'url', message: refused }]);
}

export class CreateWebhook extends Command<{ id: string; secret: string }> {
  constructor(
    readonly workspaceId: string,
    readonly settings: WebhookSettings,
    readonly isEnabled: boolean,
  ) {
    super();
  }
}

/** Checks the URL, takes the name, seals a new secret and records the webhook; the secret is answered once. */
@CommandHandler(CreateWebhook)
export class CreateWebhookHandler implements ICommandHandler<CreateWebhook> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly reservations: Reservations,
    private readonly secrets: WebhookSecrets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ workspaceId, settings, isEnabled }: CreateWebhook) {
    await checkUrl(settings.url, this.config);
    const id = newEntityId();
    const secret = newSigningSecret();
    const sealedSecret = await this.secrets.sealSecret(workspaceId, id, secret);
    const { authorization_header: header, ...rest } = settings;
    const stored: StoredWebhookSettings = { ...rest, sealed_authorization_header: await this.secrets.sealHeader(workspaceId, id, header) };
    await this.reservations.reserve(webhookNameReservation(workspaceId, settings.name), id, `the webhook name ${settings.name}`, webhookStreams.stream, workspaceId);
    await this.pipeline.decide(webhooks, id, { type: 'Create', webhookId: id, workspaceId, settings: stored, isEnabled, sealedSecret }, { workspaceId });
    return { id, secret };
  }
}

export class UpdateWebhook extends Command<{ id: string; version: number }> {
  constructor(
    readonly workspaceId: string,
    readonly webhookId: string,
    readonly changes: Partial<WebhookSettings>,
    readonly isEnabled?: boolean,
  ) {
    super();
  }
}

/** A rename takes the new name before it writes and frees the old one after. */
@CommandHandler(UpdateWebhook)
export class UpdateWebhookHandler implements ICommandHandler<UpdateWebhook> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly reservations: Reservations,
    private readonly secrets: WebhookSecrets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ workspaceId, webhookId, changes, isEnabled }: UpdateWebhook) {
    await checkUrl(changes.url, this.config);
    const before = await this.pipeline.loadEntity(webhooks, webhookId);
    const ours = before.status === 'active' && before.workspaceId === workspaceId;
    const renamed = changes.name !== undefined && ours && changes.name !== before.name;
    if (renamed) await this.reservations.reserve(webhookNameReservation(workspaceId, changes.name!), webhookId, `the webhook name ${changes.name}`, webhookStreams.stream, workspaceId);
    const { authorization_header: header, ...rest } = changes;
    const stored: Partial<StoredWebhookSettings> = { ...rest };
    // The same header again changes nothing: compared in clear, since each sealing differs.
    const sameHeader = header !== undefined && ours && header === (await this.secrets.openHeader(workspaceId, webhookId, before.sealedAuthorizationHeader));
    if (header !== undefined && !sameHeader) stored.sealed_authorization_header = await this.secrets.sealHeader(workspaceId, webhookId, header);
    const { version, events } = await this.pipeline.decide(webhooks, webhookId, { type: 'Update', changes: stored, isEnabled }, { workspaceId });
    if (renamed && events.some((e) => e.type === 'WebhookUpdated' && e.data.name === changes.name)) {
      await this.reservations.release(webhookNameReservation(workspaceId, before.name!), webhookId, workspaceId);
    }
    return { id: webhookId, version };
  }
}

export class DisableWebhook extends Command<{ disabled: boolean }> {
  constructor(
    readonly workspaceId: string,
    readonly webhookId: string,
    readonly reason: DisableReason,
    readonly statusCode?: number,
  ) {
    super();
  }
}

@CommandHandler(DisableWebhook)
export class DisableWebhookHandler implements ICommandHandler<DisableWebhook> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ workspaceId, webhookId, reason, statusCode }: DisableWebhook) {
    const { events } = await this.pipeline.decide(webhooks, webhookId, { type: 'Disable', reason, statusCode }, { workspaceId });
    return { disabled: events.length > 0 };
  }
}

export class DeleteWebhook extends Command<void> {
  constructor(
    readonly workspaceId: string,
    readonly webhookId: string,
  ) {
    super();
  }
}

/** Deletes the webhook (its pending deliveries are dropped), then frees its name. */
@CommandHandler(DeleteWebhook)
export class DeleteWebhookHandler implements ICommandHandler<DeleteWebhook> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly reservations: Reservations,
  ) {}

  async execute({ workspaceId, webhookId }: DeleteWebhook): Promise<void> {
    const { state } = await this.pipeline.decide(webhooks, webhookId, { type: 'Delete' }, { workspaceId });
    await this.reservations.release(webhookNameReservation(workspaceId, state.name!), webhookId, workspaceId);
  }
}

export class RotateWebhookSecret extends Command<{ secret: string }> {
  constructor(
    readonly workspaceId: string,
    readonly webhookId: string,
  ) {
    super();
  }
}

/** A new secret, answered once; the previous one keeps signing beside it for 24 h. */
@CommandHandler(RotateWebhookSecret)
export class RotateWebhookSecretHandler implements ICommandHandler<RotateWebhookSecret> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly secrets: WebhookSecrets,
  ) {}

  async execute({ workspaceId, webhookId }: RotateWebhookSecret) {
    const secret = newSigningSecret();
    const sealedSecret = await this.secrets.sealSecret(workspaceId, webhookId, secret);
    await this.pipeline.decide(webhooks, webhookId, { type: 'RotateSecret', sealedSecret }, { workspaceId });
    return { secret };
  }
}

export class RecoverWebhook extends Command<{ id: string }> {
  constructor(
    readonly workspaceId: string,
    readonly webhookId: string,
    readonly since: Date,
  ) {
    super();
  }
}

/** Asks for every matching event since `since`, up to the log's head now, to be delivered again. */
@CommandHandler(RecoverWebhook)
export class RecoverWebhookHandler implements ICommandHandler<RecoverWebhook> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ workspaceId, webhookId, since }: RecoverWebhook) {
    const throughPosition = (await this.store.headPosition()).toString();
    await this.pipeline.decide(webhooks, webhookId, { type: 'Recover', since, throughPosition }, { workspaceId });
    return { id: webhookId };
  }
}
