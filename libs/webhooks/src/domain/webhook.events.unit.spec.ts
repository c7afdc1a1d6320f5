import { upcastData } from '@streamplane/core/domain';
import { webhookEvents } from './webhook.events';

describe('webhook event catalogue', () => {
  it('reads a version 1 WebhookCreated (header in clear as authorization_header) with the header under sealed_authorization_header', () => {
    const stored = { webhook_id: 'w', workspace_id: 'ws', name: 'n', url: 'https://x.example/', authorization_header: 'Bearer t', event_filter: {}, is_enabled: true, sealed_secret: 's', at: 'then' };
    const { authorization_header: _header, ...rest } = stored;
    expect(upcastData(webhookEvents.kinds.WebhookCreated, stored, 1)).toEqual({ ...rest, sealed_authorization_header: 'Bearer t' });
  });

  it('reads a version 1 WebhookUpdated without the header as it was, and with it under the new name', () => {
    expect(upcastData(webhookEvents.kinds.WebhookUpdated, { name: 'n', at: 'then' }, 1)).toEqual({ name: 'n', at: 'then' });
    expect(upcastData(webhookEvents.kinds.WebhookUpdated, { authorization_header: null, at: 'then' }, 1)).toEqual({ sealed_authorization_header: null, at: 'then' });
  });

  it('declares the sealed fields, so the events API shows them as null', () => {
    expect(webhookEvents.kinds.WebhookCreated.sealed).toEqual(expect.arrayContaining(['sealed_secret', 'sealed_authorization_header']));
    expect(webhookEvents.kinds.WebhookUpdated.sealed).toEqual(['sealed_authorization_header']);
  });
});
