import { emailHash, normalizeEmail } from './email';

describe('email normalisation', () => {
  it('ignores surrounding spaces and letter case, in the email and in its hash', () => {
    expect(normalizeEmail('  Ada@Example.COM \n')).toBe('ada@example.com');
    expect(emailHash(' Ada@Example.com')).toBe(emailHash('ada@example.com'));
    expect(emailHash('ada@example.com')).toMatch(/^[0-9a-f]{64}$/);
    expect(emailHash('ada@example.com')).not.toBe(emailHash('bob@example.com'));
  });
});
