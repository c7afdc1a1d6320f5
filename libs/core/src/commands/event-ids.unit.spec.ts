import { deterministicUuid } from './event-ids';

describe('deterministicUuid', () => {
  it('is stable for the same parts and differs for others', () => {
    const a = deterministicUuid('user', 'u1', 'key', 'stream-1', '0', '0');
    expect(deterministicUuid('user', 'u1', 'key', 'stream-1', '0', '0')).toBe(a);
    expect(deterministicUuid('user', 'u1', 'key', 'stream-1', '0', '1')).not.toBe(a);
    expect(deterministicUuid('user', 'u2', 'key', 'stream-1', '0', '0')).not.toBe(a);
  });

  it('does not let parts run into each other', () => {
    expect(deterministicUuid('ab', 'c')).not.toBe(deterministicUuid('a', 'bc'));
  });

  it('is a version 5, RFC 4122 variant UUID', () => {
    expect(deterministicUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
