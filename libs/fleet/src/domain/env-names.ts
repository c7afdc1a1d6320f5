import { FieldError, ValidationError } from '@streamplane/core/domain';

/**
 * Names a member may not set on an instance. An instance runs as a process of the platform's
 * runtime (the local driver starts `node` as the worker's user), so every variable that the
 * runtime, the dynamic loader, OpenSSL or a shell reads as *code or a path to load* is a way to
 * run code on the host; the platform's own variables (port, instance id, version) must not be
 * forgeable either. Prefixes cover families whose members grow over time (NODE_OPTIONS,
 * NODE_PATH, NODE_EXTRA_CA_CERTS, NODE_ICU_DATA, NODE_V8_COVERAGE …; LD_PRELOAD, LD_AUDIT …).
 */
const RESERVED_PREFIXES = ['NODE_', 'NPM_', 'LD_', 'DYLD_', 'OPENSSL_', 'GLIBC_', 'INSTANCE_', 'MEDIA_NODE_', 'STREAMPLANE_'];
const RESERVED_NAMES = new Set([
  // the platform's own, and host plumbing
  'PATH', 'HOME', 'PORT', 'HOST', 'HOSTNAME', 'PWD', 'SHELL', 'USER', 'TMPDIR', 'TMP', 'TEMP', 'DATABASE_URL', 'REDIS_URL',
  // read as code or as a library path by shells and glibc
  'IFS', 'BASH_ENV', 'ENV', 'GCONV_PATH', 'LOCPATH', 'HOSTALIASES', 'RESOLV_HOST_CONF',
]);

export function isReservedEnvName(name: string): boolean {
  return RESERVED_NAMES.has(name) || RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** 400 naming each reserved variable (`envs.NODE_OPTIONS`), so a client sees what to drop. */
export function assertSettableEnv(names: Iterable<string>): void {
  const errors: FieldError[] = [...names].filter(isReservedEnvName).map((name) => ({ field: `envs.${name}`, message: `${name} is reserved by the platform and cannot be set` }));
  if (errors.length) throw new ValidationError('the request sets reserved environment variables', errors);
}

/** The user's variables without reserved names: what a driver may pass on, whatever the log holds. */
export function settableEnv(env: Record<string, string>): { env: Record<string, string>; dropped: string[] } {
  const kept: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (isReservedEnvName(name)) dropped.push(name);
    else kept[name] = value;
  }
  return { env: kept, dropped };
}
