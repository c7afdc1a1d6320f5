import { DISABLE_AFTER_FAILING_MS, failingTooLong, retryAfterMs } from './webhook-deliverer';

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
});
