export * from './identity.module';
export * from './auth/guards';
export * from './auth/principal';
export * from './auth/token-authenticator';
export * from './stores/user-directory';
