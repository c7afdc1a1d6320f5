import { InvalidStateError, NotFoundError } from '@streamplane/core/domain';
import { deciderSpec } from '@streamplane/testing';
import { signingSecrets, webhookDecider } from './webhook.decider';
import { StoredWebhookSettings, WebhookEvent } from './webhook.events';

const now = new Date('2026-03-01T10:00:00.000Z');
const at = now.toISOString();
const settings: StoredWebhookSettings = { name: 'ops', url: 'https://hooks.example.com/in', sealed_authorization_header: 'sealed:v1:h:e:ader', event_filter: { types: ['InstanceCrashed'] } };
const created: WebhookEvent = {
  type: 'WebhookCreated',
  data: { webhook_id: 'wh-1', workspace_id: 'ws-1', ...settings, is_enabled: true, sealed_secret: 'sealed:v1:a:b:c', at },
};
const disabled: WebhookEvent = { type: 'WebhookDisabled', data: { reason: 'gone', status_code: 410, at } };
const spec = deciderSpec(webhookDecider);

describe('webhook decider', () => {
  it('creates a webhook with its sealed secret', () => {
    spec.given([]).when({ type: 'Create', webhookId: 'wh-1', workspaceId: 'ws-1', settings, isEnabled: true, sealedSecret: 'sealed:v1:a:b:c', now }).then([created]);
  });

  it('refuses to create it twice', () => {
    spec.given([created]).when({ type: 'Create', webhookId: 'wh-1', workspaceId: 'ws-1', settings, isEnabled: true, sealedSecret: 'x', now }).thenThrows(InvalidStateError);
  });

  it('an update writes only the settings that change', () => {
    spec
      .given([created])
      .when({ type: 'Update', changes: { name: 'ops', url: 'https://other.example.com/', event_filter: { types: ['InstanceCrashed'] } }, now })
      .then([{ type: 'WebhookUpdated', data: { url: 'https://other.example.com/', at } }]);
    spec.given([created]).when({ type: 'Update', changes: { ...settings }, now }).then([]);
    spec.given([created]).when({ type: 'Update', changes: { sealed_authorization_header: null }, now }).then([{ type: 'WebhookUpdated', data: { sealed_authorization_header: null, at } }]);
    spec
      .given([created])
      .when({ type: 'Update', changes: { sealed_authorization_header: 'sealed:v1:o:t:her' }, now })
      .then([{ type: 'WebhookUpdated', data: { sealed_authorization_header: 'sealed:v1:o:t:her', at } }]);
  });

  it('is_enabled in an update disables or enables it, once', () => {
    spec.given([created]).when({ type: 'Update', changes: {}, isEnabled: false, now }).then([{ type: 'WebhookDisabled', data: { reason: 'requested', at } }]);
    spec.given([created]).when({ type: 'Update', changes: {}, isEnabled: true, now }).then([]);
    spec.given([created, disabled]).when({ type: 'Update', changes: { name: 'ops-2' }, isEnabled: true, now }).then([
      { type: 'WebhookUpdated', data: { name: 'ops-2', at } },
      { type: 'WebhookEnabled', data: { at } },
    ]);
  });

  it('disabling (a 410, say) records why, and a disabled webhook is not disabled again', () => {
    spec.given([created]).when({ type: 'Disable', reason: 'gone', statusCode: 410, now }).then([disabled]);
    spec.given([created, disabled]).when({ type: 'Disable', reason: 'failing', now }).then([]);
    spec.given([created, disabled]).when({ type: 'Enable', now }).then([{ type: 'WebhookEnabled', data: { at } }]);
  });

  it('deletes it with its name, after which it is not found', () => {
    const deleted: WebhookEvent = { type: 'WebhookDeleted', data: { name: 'ops', at } };
    spec.given([created]).when({ type: 'Delete', now }).then([deleted]);
    spec.given([created, deleted]).when({ type: 'Update', changes: { name: 'x' }, now }).thenThrows(NotFoundError);
    spec.given([]).when({ type: 'Delete', now }).thenThrows(NotFoundError);
  });

  it('rotating the secret keeps the previous one signing for 24 h', () => {
    const rotated: WebhookEvent = {
      type: 'WebhookSecretRotated',
      data: { sealed_secret: 'sealed:v1:new', previous_sealed_secret: 'sealed:v1:a:b:c', previous_valid_until: '2026-03-02T10:00:00.000Z', at },
    };
    spec.given([created]).when({ type: 'RotateSecret', sealedSecret: 'sealed:v1:new', now }).then([rotated]);
    const state = [created, rotated].reduce(webhookDecider.evolve, webhookDecider.initialState());
    expect(signingSecrets(state, now)).toEqual(['sealed:v1:new', 'sealed:v1:a:b:c']);
    expect(signingSecrets(state, new Date('2026-03-02T09:59:59.999Z'))).toHaveLength(2);
    expect(signingSecrets(state, new Date('2026-03-02T10:00:00.000Z'))).toEqual(['sealed:v1:new']);
    expect(signingSecrets([created].reduce(webhookDecider.evolve, webhookDecider.initialState()), now)).toEqual(['sealed:v1:a:b:c']);
  });

  it('recovery is asked of an enabled webhook, for a time not in the future', () => {
    const since = new Date('2026-02-28T00:00:00.000Z');
    spec
      .given([created])
      .when({ type: 'Recover', since, throughPosition: '99', now })
      .then([{ type: 'WebhookRecoveryRequested', data: { since: since.toISOString(), through_position: '99', at } }]);
    spec.given([created, disabled]).when({ type: 'Recover', since, throughPosition: '99', now }).thenThrows(InvalidStateError, /disabled/);
    spec.given([created]).when({ type: 'Recover', since: new Date('2026-03-02T00:00:00.000Z'), throughPosition: '99', now }).thenThrows(InvalidStateError, /future/);
  });
});
