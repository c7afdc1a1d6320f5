import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { PG_POOL } from '@streamplane/core';

/**
 * Worker hosts' liveness. A host beats each time its health check runs, so "alive" means "still
 * watching its instances": a host whose checks stopped cannot heal anything either.
 */
@Injectable()
export class WorkerHosts {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async beat(hostId: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO fleet_worker_hosts (host_id, seen_at, checks) VALUES ($1, now(), 0)
       ON CONFLICT (host_id) DO UPDATE SET seen_at = now(), checks = fleet_worker_hosts.checks + 1`,
      [hostId],
    );
  }
}
