export * from './identity.module';
export * from './auth/guards';
export * from './auth/principal';
export * from './auth/token-authenticator';
export * from './stores/user-directory';
export * from './workspaces/workspace-access.guard';
export * from './workspaces/roles';
export * from './workspaces/active-instances.port';
