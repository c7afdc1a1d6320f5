import { mayUse, ROLES } from './roles';

describe('roles', () => {
  it('the chain: each role may use what it or a lower role needs, for reads and writes alike', () => {
    for (const role of ROLES) {
      for (const minimum of ROLES) {
        const expected = ROLES.indexOf(role) >= ROLES.indexOf(minimum);
        expect([role, minimum, mayUse(role, minimum, 'read'), mayUse(role, minimum, 'write')]).toEqual([role, minimum, expected, expected]);
      }
    }
  });

  it('an auditor reads every route, whatever it needs, and writes none', () => {
    for (const minimum of ROLES) {
      expect(mayUse('auditor', minimum, 'read')).toBe(true);
      expect(mayUse('auditor', minimum, 'write')).toBe(false);
    }
  });
});
