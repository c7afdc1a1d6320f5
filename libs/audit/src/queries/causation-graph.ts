import { deliveryStreams } from '@streamplane/webhooks/events';

/** The envelope of one event, as the audit projection keeps it. */
export interface CausationRow {
  event_id: string;
  type: string;
  stream_id: string;
  correlation_id: string | null;
  causation_id: string | null;
  job_id: string | null;
  /** For an event written by a job: the queue it ran on. */
  actor_id: string;
  occurred_at: string;
}

export interface CausationNode {
  kind: 'request' | 'event' | 'job' | 'delivery';
  id: string;
  type: string;
  at: string;
  parent_id: string | null;
}

export interface CausationGraph {
  root: string;
  nodes: CausationNode[];
}

/**
 * One event in the graph, below `parentId`: a webhook delivery's attempts hang under their
 * delivery, and whatever a job wrote under that job, so the job sits between cause and effect.
 */
function placed(row: CausationRow, parentId: string | null): CausationNode[] {
  const nodes: CausationNode[] = [];
  let parent = parentId;
  if (deliveryStreams.holds(row.stream_id)) {
    const delivery = deliveryStreams.idOf(row.stream_id);
    nodes.push({ kind: 'delivery', id: delivery, type: 'webhook_delivery', at: row.occurred_at, parent_id: parent });
    parent = delivery;
  }
  if (row.job_id) {
    nodes.push({ kind: 'job', id: row.job_id, type: row.actor_id, at: row.occurred_at, parent_id: parent });
    parent = row.job_id;
  }
  nodes.push({ kind: 'event', id: row.event_id, type: row.type, at: row.occurred_at, parent_id: parent });
  return nodes;
}

/**
 * The event, what caused it up to the first cause (the request whose correlation id it carries,
 * or a scheduled job), and everything it caused. `ancestors` run from the event's parent upwards;
 * `descendants` are in log order, each caused by the event or by one listed before it.
 */
export function causationGraph(event: CausationRow, ancestors: CausationRow[], descendants: CausationRow[]): CausationGraph {
  const chain = [...ancestors].reverse().concat(event);
  const top = chain[0];
  // A request's events are caused by the request itself: their causation id is its correlation id.
  const request: CausationNode | undefined =
    !top.job_id && top.causation_id !== null && top.causation_id === top.correlation_id
      ? { kind: 'request', id: top.correlation_id, type: 'request', at: top.occurred_at, parent_id: null }
      : undefined;
  const nodes: CausationNode[] = request ? [request] : [];
  chain.forEach((row, n) => nodes.push(...placed(row, n === 0 ? (request?.id ?? null) : chain[n - 1].event_id)));
  for (const row of descendants) nodes.push(...placed(row, row.causation_id));
  const seen = new Set<string>();
  const unique = nodes.filter((node) => {
    const key = `${node.kind}:${node.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { root: unique[0].id, nodes: unique };
}
