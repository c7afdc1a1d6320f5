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
    admin_token: config.adminToken ? '***' : null,
    projection_batch_size: config.projectionBatchSize,
    queue_prefix: config.queuePrefix,
  };
}
