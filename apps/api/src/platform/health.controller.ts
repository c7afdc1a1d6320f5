import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, HealthCheckResult } from '@nestjs/terminus';
import { FastifyReply } from 'fastify';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { ConsumerHealth, NotRateLimited, OUTAGE_RETRY_AFTER_SECONDS, objectSchema, PG_POOL, SchemaObject } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { HEALTH_REDIS } from './platform.tokens';

const CHECK: SchemaObject = { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } }, additionalProperties: true };
const HEALTH = objectSchema({
  status: { type: 'string', enum: ['ok', 'error'] },
  checks: objectSchema({ postgres: CHECK, redis: CHECK, event_store: CHECK, projections: CHECK }),
});

@ApiTags('platform')
@NotRateLimited()
@Controller('v1/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(HEALTH_REDIS) private readonly redis: IORedis,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly consumers: ConsumerHealth,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'every dependency answers and no projection is parked', schema: HEALTH })
  @ApiServiceUnavailableResponse({
    description: 'a dependency is down, or a projection or reactor is parked, failing or more than 30 s behind; the failing check says which',
    schema: HEALTH,
  })
  async check(@Res({ passthrough: true }) response: FastifyReply) {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.probe('postgres', () => this.pool.query('SELECT 1')),
        () => this.probe('redis', () => this.redis.ping()),
        () => this.probe('event_store', async () => ({ kind: this.store.kind, head_position: (await this.store.headPosition()).toString() })),
        () => this.projections(),
      ]);
    } catch (error) {
      result = (error as { response: HealthCheckResult }).response;
      response.status(503);
      response.header('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
    }
    return { status: result.status === 'ok' ? 'ok' : 'error', checks: result.details };
  }

  private async probe(key: string, check: () => Promise<unknown>) {
    const session = this.indicators.check(key);
    try {
      const detail = await withTimeout(check(), 2000);
      return session.up(typeof detail === 'object' && detail !== null && !('rows' in detail) ? (detail as Record<string, unknown>) : {});
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Projections and reactors: none parked, failing or more than 30 s behind the log. */
  private async projections() {
    const session = this.indicators.check('projections');
    try {
      const health = await withTimeout(this.consumers.check(), 3000);
      if (health.ok) return session.up({ count: health.count });
      const parked = health.problems.filter((p) => p.problem === 'parked').map(({ name, error }) => ({ name, error }));
      return session.down({ count: health.count, ...(parked.length ? { parked } : {}), problems: health.problems });
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}
