import { defineEvents, EventOf, JsonObject, payload, streamCategory } from '@streamplane/core/domain';

/** One stream per webhook: `webhook-<id>`. */
export const webhookStreams = streamCategory('webhook');

/**
 * Which events a webhook receives (Tsuru's `event_filter`): every list given must contain the
 * event's value; `error_only` keeps only failures. An empty filter receives every event of the
 * workspace.
 */
export type EventFilter = {
  types?: string[];
  target_types?: string[];
  target_ids?: string[];
  error_only?: boolean;
};

/** Why a webhook stopped receiving: its owner said so, the receiver answered 410 Gone, or deliveries kept failing. */
export type DisableReason = 'requested' | 'gone' | 'failing';

type At = { at: string };

/** A webhook's settings as its owner gives and reads them. */
export type WebhookSettings = {
  name: string;
  url: string;
  authorization_header: string | null;
  event_filter: EventFilter;
};

/** The settings as the log holds them: the Authorization header sealed under the workspace key, like the secret. */
export type StoredWebhookSettings = Omit<WebhookSettings, 'authorization_header'> & { sealed_authorization_header: string | null };

/** Version 1 held the header in clear as `authorization_header`; it is carried over as it was (readers take an unsealed value as written). */
function headerToSealedField({ authorization_header: header, ...rest }: JsonObject): JsonObject {
  return header === undefined ? rest : { ...rest, sealed_authorization_header: header };
}

export const webhookEvents = defineEvents(webhookStreams, {
  WebhookCreated: {
    description: 'A webhook was registered; its signing secret and Authorization header are sealed under the workspace key, never in clear',
    payload: payload<At & StoredWebhookSettings & { webhook_id: string; workspace_id: string; is_enabled: boolean; sealed_secret: string }>(),
    sealed: ['sealed_secret', 'sealed_authorization_header'],
    version: 2,
    upcasters: { 1: headerToSealedField },
  },
  WebhookUpdated: {
    description: 'Some of a webhook’s settings changed (only the changed ones are in the event; the Authorization header sealed)',
    payload: payload<At & Partial<StoredWebhookSettings>>(),
    sealed: ['sealed_authorization_header'],
    version: 2,
    upcasters: { 1: headerToSealedField },
  },
  WebhookSecretRotated: {
    description: 'A webhook got a new signing secret (sealed); the previous one keeps signing beside it until previous_valid_until',
    payload: payload<At & { sealed_secret: string; previous_sealed_secret: string; previous_valid_until: string }>(),
    sealed: ['sealed_secret', 'previous_sealed_secret'],
  },
  WebhookRecoveryRequested: {
    description: 'Every event since a time that passes the webhook’s filter is to be delivered again (up to the log position when asked)',
    payload: payload<At & { since: string; through_position: string }>(),
  },
  WebhookDisabled: { description: 'A webhook stopped receiving deliveries', payload: payload<At & { reason: DisableReason; status_code?: number }>() },
  WebhookEnabled: { description: 'A webhook receives deliveries again, of events from now on', payload: payload<At>() },
  WebhookDeleted: { description: 'A webhook was deleted; its name is free again', payload: payload<At & { name: string }>() },
});

export type WebhookEvent = EventOf<typeof webhookEvents>;
