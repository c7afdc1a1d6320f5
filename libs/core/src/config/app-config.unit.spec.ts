import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working defaults for localhost', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/streamplane',
      redisUrl: 'redis://127.0.0.1:6379',
      eventStoreConnectionString: undefined,
      roles: ['api', 'projector', 'worker'],
    });
  });

  it('names every bad value in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ROLES: 'api,cook', EVENTSTORE_CONNECTION_STRING: 'http://x', BOOTSTRAP_ADMIN_EMAIL: 'not-an-email', BOOTSTRAP_ADMIN_PASSWORD: 'short', MAIL_DRIVER: 'pigeon' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'ROLES', 'EVENTSTORE_CONNECTION_STRING', 'BOOTSTRAP_ADMIN_EMAIL', 'BOOTSTRAP_ADMIN_PASSWORD', 'MAIL_DRIVER']) expect(problems).toContain(name);
  });

  it('allows no browser origin unless CORS_ORIGINS lists some, or * for any; refuses paths and mixes', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://console.example.com, http://localhost:5173' }).corsOrigins).toEqual(['https://console.example.com', 'http://localhost:5173']);
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example.com/app' })).toThrow(/CORS_ORIGINS must hold origins/);
    expect(() => loadConfig({ CORS_ORIGINS: 'console.example.com' })).toThrow(/CORS_ORIGINS must hold origins/);
    expect(() => loadConfig({ CORS_ORIGINS: '*,https://a.example.com' })).toThrow(/either \* or a list/);
  });

  it('serves metrics on the API port unless METRICS_PORT is set, then on loopback unless METRICS_HOST says otherwise', () => {
    expect(loadConfig({})).toMatchObject({ metricsPort: undefined, metricsHost: '127.0.0.1', workspacesPerUser: 20 });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toMatchObject({ metricsPort: 9464, metricsHost: '0.0.0.0' });
    expect(() => loadConfig({ PORT: '9464', METRICS_PORT: '9464' })).toThrow(/METRICS_PORT must differ from PORT/);
    expect(loadConfig({ MAX_WORKSPACES_PER_USER: '5' }).workspacesPerUser).toBe(5);
    expect(() => loadConfig({ WORKSPACES_PER_USER: '5' })).toThrow(/now MAX_WORKSPACES_PER_USER/);
    expect(() => loadConfig({ METRICS_PORT: 'nine' })).toThrow(/METRICS_PORT=nine/);
  });

  it('takes a subset of roles and an EventStoreDB connection string', () => {
    const config = loadConfig({ ROLES: 'projector', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' });
    expect(config.roles).toEqual(['projector']);
    expect(config.eventStoreConnectionString).toBe('esdb://localhost:2113?tls=false');
  });
});

describe('WEBHOOK_* settings', () => {
  it('WEBHOOK_RETRY_SCHEDULE defaults to 0,5s,5m,30m,2h,5h,10h,10h, in ms', () => {
    expect(loadConfig({}).webhooks).toEqual({ retrySchedule: [0, 5000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000], allowPrivate: false, timeoutMs: 15_000, concurrencyPerWebhook: 4 });
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE: '0, 200ms,1,1.5s', WEBHOOK_ALLOW_PRIVATE: 'true' }).webhooks).toMatchObject({ retrySchedule: [0, 200, 1000, 1500], allowPrivate: true });
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: '0,soon' })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
  });
});

describe('AUDIT_* settings', () => {
  it('seals every 60 s and generates the signing key unless told otherwise', () => {
    expect(loadConfig({}).audit).toEqual({ digestSeconds: 60, signingKey: undefined });
    expect(loadConfig({ AUDIT_DIGEST_SECONDS: '5' }).audit.digestSeconds).toBe(5);
    expect(() => loadConfig({ AUDIT_DIGEST_SECONDS: '0' })).toThrow(/AUDIT_DIGEST_SECONDS/);
  });

  it('takes an Ed25519 PEM, on one line with \\n escapes too, and refuses anything else', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(loadConfig({ AUDIT_SIGNING_KEY: pem }).audit.signingKey).toBe(pem);
    expect(loadConfig({ AUDIT_SIGNING_KEY: pem.replace(/\n/g, '\\n') }).audit.signingKey).toBe(pem);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const wrong of [rsa, 'not a key']) expect(() => loadConfig({ AUDIT_SIGNING_KEY: wrong })).toThrow(/AUDIT_SIGNING_KEY must be an Ed25519 private key/);
  });
});
