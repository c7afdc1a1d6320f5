import { decryptWith, encryptWith, newKey } from './personal-data';

describe('personal data encryption', () => {
  it('round-trips with the key and is unreadable without it', () => {
    const key = newKey();
    const sealed = encryptWith(key, 'ada@example.com');
    expect(sealed).toMatch(/^enc:v1:/);
    expect(sealed).not.toContain('ada');
    expect(decryptWith(key, sealed)).toBe('ada@example.com');
    expect(decryptWith(undefined, sealed)).toBeNull();
    expect(decryptWith(newKey(), sealed)).toBeNull();
  });

  it('never gives the same ciphertext twice', () => {
    const key = newKey();
    expect(encryptWith(key, 'x')).not.toBe(encryptWith(key, 'x'));
  });
});
