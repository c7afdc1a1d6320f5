/** A Redis connection of its own for health checks: it must answer even when queues are busy. */
export const HEALTH_REDIS = Symbol('HEALTH_REDIS');
