import { createHmac } from 'node:crypto';
import { newSigningSecret, sign, verify } from './signing';

describe('Standard Webhooks signatures', () => {
  it('a secret is whsec_ and the base64 of 32 random bytes', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(secret);
  });

  it('signs "{id}.{timestamp}.{body}" with HMAC-SHA256 keyed by the decoded secret', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    // The Standard Webhooks specification's own example.
    expect(sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    expect(sign(secret, 'id', 1, 'x')).toBe(`v1,${createHmac('sha256', key).update('id.1.x').digest('base64')}`);
  });

  it('verifies any of space-separated signatures, within the timestamp tolerance', () => {
    const [secret, other] = [newSigningSecret(), newSigningSecret()];
    const now = 1_800_000_000_000;
    const ts = now / 1000;
    const headers = { id: 'd-1', timestamp: String(ts), signature: `${sign(other, 'd-1', ts, 'body')} ${sign(secret, 'd-1', ts, 'body')}` };
    expect(verify(secret, headers, 'body', now)).toBe(true);
    expect(verify(secret, headers, 'body!', now)).toBe(false);
    expect(verify(secret, { ...headers, id: 'd-2' }, 'body', now)).toBe(false);
    expect(verify(secret, headers, 'body', now + 301_000)).toBe(false);
    expect(verify(newSigningSecret(), headers, 'body', now)).toBe(false);
  });
});
