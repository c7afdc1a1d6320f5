import { EventView } from '@streamplane/core';
import { deliveryBody, DISABLE_AFTER_FAILING_MS, failingTooLong, MAX_BODY_BYTES, retryAfterMs } from './webhook-deliverer';

describe('delivery rules', () => {
  const now = new Date('2026-03-10T00:00:00.000Z');

  it('five days of failures, and not a millisecond less, disable a webhook', () => {
    expect(DISABLE_AFTER_FAILING_MS).toBe(5 * 24 * 3600 * 1000);
    expect(failingTooLong(null, now)).toBe(false);
    expect(failingTooLong(new Date('2026-03-05T00:00:00.001Z'), now)).toBe(false);
    expect(failingTooLong(new Date('2026-03-05T00:00:00.000Z'), now)).toBe(true);
  });

  it('reads Retry-After as seconds or an HTTP date, capped at a day', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(new Date(now.getTime() + 30_000).toUTCString(), now)).toBe(30_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(0);
    expect(retryAfterMs('999999999', now)).toBe(24 * 3600 * 1000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('sends the event whole, or thin (without its data, with a link) above 256 KB', () => {
    const view = {
      position: '7',
      event_id: 'e-1',
      type: 'StreamCreated',
      event_version: 1,
      stream_id: 'stream-s-1',
      revision: '0',
      target: { type: 'stream', id: 's-1' },
      actor: { type: 'user', id: 'u-1' },
      occurred_at: '2026-03-01T00:00:00.000Z',
      data: { name: 'cam' },
      metadata: { correlation_id: null, causation_id: null, request_id: null },
    } as EventView;
    expect(JSON.parse(deliveryBody(view, 'ws-1'))).toEqual({ type: 'StreamCreated', timestamp: '2026-03-01T00:00:00.000Z', data: view });
    const large = { ...view, data: { blob: 'x'.repeat(MAX_BODY_BYTES) } };
    const thin = JSON.parse(deliveryBody(large, 'ws-1'));
    expect(thin).toMatchObject({ type: 'StreamCreated', thin: true, data: { event_id: 'e-1', position: '7', href: '/v1/workspaces/ws-1/events/e-1' } });
    expect(thin.data).not.toHaveProperty('data');
  });
});
