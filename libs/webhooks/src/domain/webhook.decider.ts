import { Aggregate, Decider, InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { DisableReason, EventFilter, StoredWebhookSettings, WebhookEvent, webhookStreams } from './webhook.events';

export type WebhookCommand =
  | { type: 'Create'; webhookId: string; workspaceId: string; settings: StoredWebhookSettings; isEnabled: boolean; sealedSecret: string; now: Date }
  | { type: 'Update'; changes: Partial<StoredWebhookSettings>; isEnabled?: boolean; now: Date }
  | { type: 'RotateSecret'; sealedSecret: string; now: Date }
  | { type: 'Recover'; since: Date; throughPosition: string; now: Date }
  | { type: 'Disable'; reason: DisableReason; statusCode?: number; now: Date }
  | { type: 'Enable'; now: Date }
  | { type: 'Delete'; now: Date };

export interface WebhookState {
  status: 'none' | 'active' | 'deleted';
  workspaceId?: string;
  name?: string;
  url?: string;
  /** Sealed under the workspace key (or, in a version 1 event, as it was written). */
  sealedAuthorizationHeader?: string | null;
  eventFilter?: EventFilter;
  enabled: boolean;
  sealedSecret?: string;
  /** The secret before the last rotation, signing beside the new one until `previousValidUntil`. */
  previousSealedSecret?: string;
  previousValidUntil?: string;
}

/** How long a rotated-out secret keeps signing, so receivers can switch without losing a delivery. */
export const PREVIOUS_SECRET_VALIDITY_MS = 24 * 3600 * 1000;

/** The sealed secrets that sign at `now`: the current one, and the previous one for 24 h after a rotation. */
export function signingSecrets(state: Pick<WebhookState, 'sealedSecret' | 'previousSealedSecret' | 'previousValidUntil'>, now: Date): string[] {
  const previous = state.previousSealedSecret && state.previousValidUntil && now.getTime() < Date.parse(state.previousValidUntil) ? [state.previousSealedSecret] : [];
  return [state.sealedSecret!, ...previous];
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The settings in `changes` that differ from the state's: an update writes only those. A sealed
 * header differs from every other sealing of the same value; the command handler leaves an
 * unchanged header out before it seals.
 */
function changed(state: WebhookState, changes: Partial<StoredWebhookSettings>): Partial<StoredWebhookSettings> {
  const out: Partial<StoredWebhookSettings> = {};
  if (changes.name !== undefined && changes.name !== state.name) out.name = changes.name;
  if (changes.url !== undefined && changes.url !== state.url) out.url = changes.url;
  if (changes.sealed_authorization_header !== undefined && changes.sealed_authorization_header !== state.sealedAuthorizationHeader) out.sealed_authorization_header = changes.sealed_authorization_header;
  if (changes.event_filter !== undefined && !sameJson(changes.event_filter, state.eventFilter)) out.event_filter = changes.event_filter;
  return out;
}

/**
 * A webhook: where deliveries go, which events they carry, and whether they are sent. Its name is
 * unique in its workspace by a reservation stream (taken by the command handler before the create
 * or rename). Disabling and enabling again write nothing when there is nothing to change.
 */
export const webhookDecider: Decider<WebhookCommand, WebhookEvent, WebhookState> = {
  initialState: () => ({ status: 'none', enabled: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'WebhookCreated': {
        const d = event.data;
        return {
          status: 'active',
          workspaceId: d.workspace_id,
          name: d.name,
          url: d.url,
          sealedAuthorizationHeader: d.sealed_authorization_header,
          eventFilter: d.event_filter,
          enabled: d.is_enabled,
          sealedSecret: d.sealed_secret,
        };
      }
      case 'WebhookUpdated': {
        const d = event.data;
        return {
          ...state,
          name: d.name ?? state.name,
          url: d.url ?? state.url,
          sealedAuthorizationHeader: d.sealed_authorization_header !== undefined ? d.sealed_authorization_header : state.sealedAuthorizationHeader,
          eventFilter: d.event_filter ?? state.eventFilter,
        };
      }
      case 'WebhookSecretRotated':
        return { ...state, sealedSecret: event.data.sealed_secret, previousSealedSecret: event.data.previous_sealed_secret, previousValidUntil: event.data.previous_valid_until };
      case 'WebhookRecoveryRequested':
        return state;
      case 'WebhookDisabled':
        return { ...state, enabled: false };
      case 'WebhookEnabled':
        return { ...state, enabled: true };
      case 'WebhookDeleted':
        return { ...state, status: 'deleted', enabled: false };
    }
  },
  decide: (command, state) => {
    const at = command.now.toISOString();
    if (command.type === 'Create') {
      if (state.status !== 'none') throw new InvalidStateError('this webhook already exists');
      return [
        {
          type: 'WebhookCreated',
          data: { webhook_id: command.webhookId, workspace_id: command.workspaceId, ...command.settings, is_enabled: command.isEnabled, sealed_secret: command.sealedSecret, at },
        },
      ];
    }
    if (state.status !== 'active') throw new NotFoundError('no such webhook');
    switch (command.type) {
      case 'Update': {
        const changes = changed(state, command.changes);
        const events: WebhookEvent[] = Object.keys(changes).length ? [{ type: 'WebhookUpdated', data: { ...changes, at } }] : [];
        if (command.isEnabled === true && !state.enabled) events.push({ type: 'WebhookEnabled', data: { at } });
        if (command.isEnabled === false && state.enabled) events.push({ type: 'WebhookDisabled', data: { reason: 'requested', at } });
        return events;
      }
      case 'RotateSecret':
        return [
          {
            type: 'WebhookSecretRotated',
            data: {
              sealed_secret: command.sealedSecret,
              previous_sealed_secret: state.sealedSecret!,
              previous_valid_until: new Date(command.now.getTime() + PREVIOUS_SECRET_VALIDITY_MS).toISOString(),
              at,
            },
          },
        ];
      case 'Recover':
        if (!state.enabled) throw new InvalidStateError('the webhook is disabled: enable it first');
        if (command.since > command.now) throw new InvalidStateError('since is in the future');
        return [{ type: 'WebhookRecoveryRequested', data: { since: command.since.toISOString(), through_position: command.throughPosition, at } }];
      case 'Disable':
        if (!state.enabled) return [];
        return [{ type: 'WebhookDisabled', data: { reason: command.reason, ...(command.statusCode !== undefined ? { status_code: command.statusCode } : {}), at } }];
      case 'Enable':
        return state.enabled ? [] : [{ type: 'WebhookEnabled', data: { at } }];
      case 'Delete':
        return [{ type: 'WebhookDeleted', data: { name: state.name!, at } }];
    }
  },
};

/** The webhook aggregate: `webhook-<id>` streams of one workspace each. */
export const webhooks: Aggregate<WebhookCommand, WebhookEvent, WebhookState> = { category: webhookStreams, decider: webhookDecider, noun: 'webhook' };
