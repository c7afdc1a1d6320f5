import { serviceRole } from './service-scopes';

describe('serviceRole', () => {
  it('lets streams:handle use only the routes that name it, as a member', () => {
    expect(serviceRole(['streams:handle'], 'streams:handle', false)).toBe('member');
    expect(serviceRole(['streams:handle'], undefined, false)).toBeUndefined();
    expect(serviceRole(['streams:handle'], undefined, true)).toBeUndefined();
  });

  it('lets workspace:read read every route as a viewer, and write none', () => {
    expect(serviceRole(['workspace:read'], undefined, true)).toBe('viewer');
    expect(serviceRole(['workspace:read'], undefined, false)).toBeUndefined();
    expect(serviceRole(['workspace:read'], 'streams:handle', false)).toBeUndefined();
  });

  it('lets workspace:write act as a member anywhere, never above', () => {
    expect(serviceRole(['workspace:write'], undefined, false)).toBe('member');
    expect(serviceRole(['workspace:write'], undefined, true)).toBe('member');
  });

  it('combines scopes: handle plus read reads everything and writes only the handler routes', () => {
    expect(serviceRole(['streams:handle', 'workspace:read'], undefined, true)).toBe('viewer');
    expect(serviceRole(['streams:handle', 'workspace:read'], 'streams:handle', false)).toBe('member');
    expect(serviceRole(['streams:handle', 'workspace:read'], undefined, false)).toBeUndefined();
  });

  it('gives no role without scopes', () => {
    expect(serviceRole([], 'streams:handle', true)).toBeUndefined();
  });
});
