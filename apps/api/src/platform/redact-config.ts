import { AppConfig, redactUrl } from '@streamplane/core';

/** The effective configuration in snake_case, with every secret replaced by "***". */
export function redactConfig(config: AppConfig): Record<string, unknown> {
  return {
    port: config.port,
    database_url: redactUrl(config.databaseUrl),
    redis_url: redactUrl(config.redisUrl),
    eventstore_connection_string: config.eventStoreConnectionString ? redactUrl(config.eventStoreConnectionString) : null,
    roles: config.roles,
    log_level: config.logLevel,
    read_your_writes_timeout_ms: config.readYourWritesTimeoutMs,
    min_position_timeout_ms: config.minPositionTimeoutMs,
    body_limit: config.bodyLimit,
    bootstrap_admin_email: config.bootstrapAdmin?.email ?? null,
    bootstrap_admin_password: config.bootstrapAdmin ? '***' : null,
    mail_driver: config.mail.driver,
    smtp_url: config.mail.smtpUrl ? redactUrl(config.mail.smtpUrl) : null,
    mail_from: config.mail.from,
    projection_batch_size: config.projectionBatchSize,
    queue_prefix: config.queuePrefix,
    audit_digest_seconds: config.audit.digestSeconds,
    audit_signing_key: config.audit.signingKey ? '***' : null,
  };
}
