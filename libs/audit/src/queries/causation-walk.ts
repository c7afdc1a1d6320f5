import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { isoTime, PG_POOL } from '@streamplane/core';
import { CausationGraph, causationGraph, CausationRow } from './causation-graph';

/** Bounds on one walk: a runaway chain (a loop of reactions) answers with what it found so far. */
const MAX_DEPTH = 100;
const MAX_DESCENDANTS = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COLUMNS = `event_id, type, stream_id, correlation_id, causation_id, job_id, actor_id,
  ${isoTime('occurred_at')} AS occurred_at`;

/**
 * Follows causation ids through the audit projection, up from an event to its first cause and down
 * to everything it caused, within one workspace (a link into another workspace ends the walk).
 */
@Injectable()
export class CausationWalk {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Undefined when the event is not the workspace's. */
  async of(workspaceId: string, eventId: string): Promise<CausationGraph | undefined> {
    const event = await this.event(workspaceId, eventId);
    if (!event) return undefined;
    return causationGraph(event, await this.ancestors(workspaceId, event), await this.descendants(workspaceId, event));
  }

  private async event(workspaceId: string, eventId: string): Promise<CausationRow | undefined> {
    if (!UUID.test(eventId)) return undefined;
    const { rows } = await this.pool.query<CausationRow>(`SELECT ${COLUMNS} FROM read.audit_events WHERE event_id = $1 AND workspace_id = $2`, [eventId, workspaceId]);
    return rows[0];
  }

  private async ancestors(workspaceId: string, event: CausationRow): Promise<CausationRow[]> {
    const found: CausationRow[] = [];
    let current = event;
    for (let depth = 0; depth < MAX_DEPTH && current.causation_id; depth++) {
      const parent = await this.event(workspaceId, current.causation_id);
      if (!parent) break;
      found.push(parent);
      current = parent;
    }
    return found;
  }

  /** Level by level, so each event comes after the one that caused it. */
  private async descendants(workspaceId: string, event: CausationRow): Promise<CausationRow[]> {
    const found: CausationRow[] = [];
    let frontier = [event.event_id];
    while (frontier.length > 0 && found.length < MAX_DESCENDANTS) {
      const { rows } = await this.pool.query<CausationRow>(
        `SELECT ${COLUMNS} FROM read.audit_events WHERE causation_id = ANY($1::text[]) AND workspace_id = $2 ORDER BY position LIMIT $3`,
        [frontier, workspaceId, MAX_DESCENDANTS - found.length],
      );
      found.push(...rows);
      frontier = rows.map((row) => row.event_id);
    }
    return found;
  }
}
