import { createPrivateKey } from 'node:crypto';

export type Role = 'api' | 'projector' | 'worker';
const ROLES: Role[] = ['api', 'projector', 'worker'];

export interface AppConfig {
  port: number;
  /** Set: /metrics is served on this port alone, without auth (0: a port the system picks); unset: on the API's port, to platform admins. */
  metricsPort?: number;
  /** The address the metrics port is bound to. */
  metricsHost: string;
  databaseUrl: string;
  redisUrl: string;
  /** Unset: the embedded PostgreSQL event store. */
  eventStoreConnectionString?: string;
  roles: Role[];
  logLevel: string;
  /** How long a command waits for its context's read models before answering anyway. */
  readYourWritesTimeoutMs: number;
  /** Upper bound for `X-Min-Position` waits on reads. */
  minPositionTimeoutMs: number;
  bodyLimit: string;
  /** The platform admin created (verified) at start, if missing. */
  bootstrapAdmin?: { email: string; password: string };
  mail: { driver: 'outbox' | 'smtp'; smtpUrl?: string; from: string };
  projectionBatchSize: number;
  /** Redis key prefix of every queue; lets several installs (or test files) share one Redis. */
  queuePrefix: string;
  /** A taken stream with no feedback for this long becomes handler_lost. */
  streamLeaseSeconds: number;
  /** A JSON file replacing parts of the built-in fleet catalog. */
  fleetCatalogFile?: string;
  /** Where the local provisioner keeps each instance's state file and log. */
  instancesDir?: string;
  /** How long a worker's lock on a job lasts unrenewed: a worker that dies loses its jobs to another after this. */
  jobLockSeconds: number;
  /** How often running instances are health-checked (and healed when found dead). */
  healthCheckSeconds: number;
  /** Healing attempts for an instance before it is left failed (a client restart gives them back). */
  maxHealingAttempts: number;
  /** Test and demo knob: the local media node waits this long before it listens (a slow image). */
  mediaNodeStartDelayMs: number;
  /** A slot (and routing key) whose request never wrote its instance is given back after this long. */
  instanceSlotGraceSeconds: number;
  /** Workspaces one account may own at once (platform admins have no cap). */
  workspacesPerUser: number;
  /** This worker host's id, recorded on the instances it runs; unset: hostname + instances dir. */
  workerHostId?: string;
  /** A worker host with no heartbeat for this long is lost; its instances are reported, not healed elsewhere. */
  workerHostLostSeconds: number;
  metering: {
    /** How often running units get a usage stretch recorded. */
    intervalSeconds: number;
    /** Power usage effectiveness of the data centre: facility energy over IT energy (≥ 1). */
    pue: number;
    /** Seconds of usage per workspace per UTC month that cost nothing. */
    freeTierSeconds: number;
    currency: string;
  };
  /** 32 bytes (base64 or hex) wrapping the per-workspace keys of secret values; unset: one is generated into the database, with a warning. */
  secretsMasterKey?: Buffer;
  /** Express' `trust proxy`: off, every proxy (true), a hop count, or trusted addresses/subnets. */
  trustProxy: boolean | number | string;
  /** Browser origins allowed to call the API (CORS); empty: none, `['*']`: any. */
  corsOrigins: string[];
  /** The global rate limiter: requests per window, per client address and per bearer token. */
  rateLimit: { windowSeconds: number; perAddress: number; perPrincipal: number; signUpsPerHour: number; invitationsPerHour: number };
  audit: {
    /** How often a signed digest seals the events written since the last one. */
    digestSeconds: number;
    /** PEM (PKCS#8) Ed25519 private key signing the digests; unset: one is generated into the database, with a warning. */
    signingKey?: string;
  };
  webhooks: {
    /** Delay before each delivery attempt, in ms (the first is usually 0): WEBHOOK_RETRY_SCHEDULE. */
    retrySchedule: number[];
    /** Accept (and deliver to) URLs resolving to loopback, private or link-local addresses. */
    allowPrivate: boolean;
    /** A receiver answering later than this fails the attempt. */
    timeoutMs: number;
    /** Attempts in flight per webhook and worker process; more wait, so one slow receiver cannot hold every worker slot. */
    concurrencyPerWebhook: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and checks the environment once, at start; every bad value is named in one error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${raw} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const decimal = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      problems.push(`${name}=${raw} must be a number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, fallback: string, protocols: string[]): string => {
    const raw = env[name] || fallback;
    try {
      if (!protocols.includes(new URL(raw).protocol)) throw new Error();
    } catch {
      problems.push(`${name} must be a ${protocols.join(' or ')}// URL`);
    }
    return raw;
  };
  const roles = (env.ROLES || ROLES.join(','))
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknownRoles = roles.filter((r) => !ROLES.includes(r as Role));
  if (unknownRoles.length || roles.length === 0) problems.push(`ROLES must list some of ${ROLES.join(', ')}; got "${env.ROLES}"`);
  const eventStore = env.EVENTSTORE_CONNECTION_STRING || undefined;
  if (eventStore && !/^(esdb|esdb\+discover|kurrentdb|kdb):\/\//.test(eventStore)) {
    problems.push('EVENTSTORE_CONNECTION_STRING must be an esdb:// or esdb+discover:// connection string');
  }
  const bodyLimit = env.BODY_LIMIT || '1mb';
  if (!/^\d+(b|kb|mb)$/i.test(bodyLimit)) problems.push(`BODY_LIMIT=${bodyLimit} must look like 100kb or 1mb`);
  const adminEmail = env.BOOTSTRAP_ADMIN_EMAIL || undefined;
  const adminPassword = env.BOOTSTRAP_ADMIN_PASSWORD || undefined;
  if (Boolean(adminEmail) !== Boolean(adminPassword)) problems.push('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD go together');
  if (adminEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(adminEmail)) problems.push('BOOTSTRAP_ADMIN_EMAIL must be an email address');
  if (adminPassword && adminPassword.length < 10) problems.push('BOOTSTRAP_ADMIN_PASSWORD must be at least 10 characters');
  if (env.WORKSPACES_PER_USER !== undefined) problems.push('WORKSPACES_PER_USER is now MAX_WORKSPACES_PER_USER: rename the setting');
  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);
  const mailDriver = env.MAIL_DRIVER || 'outbox';
  if (mailDriver !== 'outbox' && mailDriver !== 'smtp') problems.push('MAIL_DRIVER must be outbox or smtp');
  if (mailDriver === 'smtp' && !env.SMTP_URL) problems.push('MAIL_DRIVER=smtp needs SMTP_URL (smtp://user:pass@host:587)');

  const config: AppConfig = {
    port: int('PORT', 3000, 0, 65535),
    metricsPort: env.METRICS_PORT ? int('METRICS_PORT', 0, 0, 65535) : undefined,
    metricsHost: env.METRICS_HOST || '127.0.0.1',
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/streamplane', ['postgres:', 'postgresql:']),
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    eventStoreConnectionString: eventStore,
    roles: roles as Role[],
    logLevel: env.LOG_LEVEL || 'info',
    readYourWritesTimeoutMs: int('READ_YOUR_WRITES_TIMEOUT_MS', 5000, 0, 60000),
    minPositionTimeoutMs: int('MIN_POSITION_TIMEOUT_MS', 10000, 0, 60000),
    bodyLimit,
    bootstrapAdmin: adminEmail && adminPassword ? { email: adminEmail, password: adminPassword } : undefined,
    mail: { driver: mailDriver as 'outbox' | 'smtp', smtpUrl: env.SMTP_URL || undefined, from: env.MAIL_FROM || 'Streamplane <no-reply@localhost>' },
    projectionBatchSize: int('PROJECTION_BATCH_SIZE', 500, 1, 10000),
    queuePrefix: env.QUEUE_PREFIX || 'streamplane',
    streamLeaseSeconds: int('STREAM_LEASE_SECONDS', 30, 1, 3600),
    fleetCatalogFile: env.FLEET_CATALOG_FILE || undefined,
    instancesDir: env.INSTANCES_DIR || undefined,
    jobLockSeconds: int('JOB_LOCK_SECONDS', 30, 1, 600),
    healthCheckSeconds: int('HEALTH_CHECK_SECONDS', 10, 1, 3600),
    maxHealingAttempts: int('MAX_HEALING_ATTEMPTS', 3, 0, 100),
    mediaNodeStartDelayMs: int('MEDIA_NODE_START_DELAY_MS', 0, 0, 60000),
    instanceSlotGraceSeconds: int('INSTANCE_SLOT_GRACE_SECONDS', 60, 1, 3600),
    workspacesPerUser: int('MAX_WORKSPACES_PER_USER', 20, 1, 100_000),
    workerHostId: env.WORKER_HOST_ID || undefined,
    workerHostLostSeconds: int('WORKER_HOST_LOST_SECONDS', 30, 2, 3600),
    metering: {
      intervalSeconds: int('METERING_INTERVAL_SECONDS', 60, 1, 86400),
      pue: decimal('PUE', 1, 1, 10),
      freeTierSeconds: int('FREE_TIER_SECONDS', 3600, 0, 31 * 86400),
      currency: currencyCode(env.BILLING_CURRENCY, problems),
    },
    secretsMasterKey: masterKey(env.SECRETS_MASTER_KEY, problems),
    trustProxy,
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS, problems),
    rateLimit: {
      windowSeconds: int('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600),
      // Flood guards, not quotas: a stream handler's take/beat/report loop and an operator's
      // dashboard run thousands of requests a minute, and one address may front many clients.
      perAddress: int('RATE_LIMIT_PER_ADDRESS', 300_000, 1, 100_000_000),
      perPrincipal: int('RATE_LIMIT_PER_PRINCIPAL', 120_000, 1, 100_000_000),
      signUpsPerHour: int('SIGN_UP_LIMIT_PER_HOUR', 20, 1, 10_000_000),
      invitationsPerHour: int('INVITATION_LIMIT_PER_HOUR', 50, 1, 10_000_000),
    },
    audit: {
      digestSeconds: int('AUDIT_DIGEST_SECONDS', 60, 1, 86400),
      signingKey: signingKey(env.AUDIT_SIGNING_KEY, problems),
    },
    webhooks: {
      retrySchedule: retrySchedule(env.WEBHOOK_RETRY_SCHEDULE, problems),
      allowPrivate: env.WEBHOOK_ALLOW_PRIVATE === 'true',
      timeoutMs: int('WEBHOOK_TIMEOUT_MS', 15_000, 100, 120_000),
      concurrencyPerWebhook: int('WEBHOOK_CONCURRENCY_PER_WEBHOOK', 4, 1, 1000),
    },
  };
  if (config.metricsPort && config.metricsPort === config.port) problems.push('METRICS_PORT must differ from PORT');
  if (config.workerHostLostSeconds < 2 * config.healthCheckSeconds) problems.push('WORKER_HOST_LOST_SECONDS must be at least twice HEALTH_CHECK_SECONDS (a host beats once per check)');
  if (!/^[a-z0-9_-]{1,64}$/i.test(config.queuePrefix)) problems.push('QUEUE_PREFIX may hold only letters, digits, _ and -');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    problems.push(`LOG_LEVEL=${config.logLevel} must be one of fatal error warn info debug trace silent`);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/**
 * TRUST_PROXY: unset or `false`, the client address is the socket's (X-Forwarded-For is ignored,
 * so no client can choose its own rate-limit bucket); `true`, the left-most X-Forwarded-For
 * address (only behind a proxy that overwrites it); a number, that many proxy hops; otherwise a
 * comma-separated list of trusted proxy addresses or subnets (`loopback`, `10.0.0.0/8`).
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): boolean | number | string {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  if (/^[\w.:/,\s-]+$/.test(value)) return value;
  problems.push('TRUST_PROXY must be false, true, a hop count, or a list of proxy addresses/subnets');
  return false;
}

/**
 * CORS_ORIGINS: unset, no browser page of another origin may call the API; `*`, any may (tokens
 * are bearer headers, never cookies, so no credentials are shared); otherwise a comma-separated
 * list of origins (`https://console.example.com,http://localhost:5173`).
 */
function parseCorsOrigins(raw: string | undefined, problems: string[]): string[] {
  const origins = (raw ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  if (origins.includes('*')) return origins.length === 1 ? ['*'] : (problems.push('CORS_ORIGINS is either * or a list of origins, not both'), []);
  const bad = origins.filter((origin) => !/^https?:\/\/[^/\s?#]+$/.test(origin));
  if (bad.length) problems.push(`CORS_ORIGINS must hold origins like https://app.example.com (scheme://host[:port], no path); got ${bad.join(', ')}`);
  return bad.length ? [] : origins;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** SECRETS_MASTER_KEY: 64 hex digits or base64 of exactly 32 bytes (an AES-256 key). */
function masterKey(raw: string | undefined, problems: string[]): Buffer | undefined {
  if (!raw) return undefined;
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length === 32) return key;
  problems.push('SECRETS_MASTER_KEY must be 32 bytes, as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)');
  return undefined;
}

/** AUDIT_SIGNING_KEY: an Ed25519 private key in PEM; `\n` escapes stand for line breaks (one-line env files). */
function signingKey(raw: string | undefined, problems: string[]): string | undefined {
  if (!raw) return undefined;
  const pem = raw.replace(/\\n/g, '\n');
  try {
    if (createPrivateKey(pem).asymmetricKeyType === 'ed25519') return pem;
  } catch {
    // Named below, with the other problems.
  }
  problems.push('AUDIT_SIGNING_KEY must be an Ed25519 private key in PEM (e.g. `openssl genpkey -algorithm ed25519`)');
  return undefined;
}

/** An ISO 4217 code (three capital letters); USD when unset. */
function currencyCode(raw: string | undefined, problems: string[]): string {
  if (raw === undefined || raw === '') return 'USD';
  if (!/^[A-Z]{3}$/.test(raw)) problems.push(`BILLING_CURRENCY=${raw} must be a three-letter ISO 4217 code such as USD or EUR`);
  return raw;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * WEBHOOK_RETRY_SCHEDULE: the delay before each delivery attempt, comma-separated, each a number
 * with a unit (`ms`, `s`, `m`, `h`, `d`; a bare number is seconds). Default `0,5s,5m,30m,2h,5h,10h,10h`.
 */
export function retrySchedule(raw: string | undefined, problems: string[] = []): number[] {
  const value = raw === undefined || raw.trim() === '' ? '0,5s,5m,30m,2h,5h,10h,10h' : raw;
  const delays = value.split(',').map((part) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(part);
    return match ? Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? 's']) : NaN;
  });
  if (delays.some((d) => !Number.isFinite(d)) || delays.length > 50) {
    problems.push(`WEBHOOK_RETRY_SCHEDULE=${value} must be up to 50 comma-separated delays such as 0,5s,5m,2h`);
    return [0];
  }
  return delays;
}
