import { causationGraph, CausationRow } from './causation-graph';

const row = (id: string, over: Partial<CausationRow> = {}): CausationRow => ({
  event_id: id,
  type: 'InstanceRequested',
  stream_id: 'instance-i1',
  correlation_id: 'req-1',
  causation_id: 'req-1',
  job_id: null,
  actor_id: 'u1',
  occurred_at: '2026-11-27T12:00:00.000Z',
  ...over,
});

describe('causationGraph', () => {
  const requested = row('e1');
  const provisioned = row('e2', { type: 'InstanceProvisioned', causation_id: 'e1', job_id: 'deploys.e1.0', actor_id: 'deploys' });
  const started = row('e3', { type: 'InstanceProvisioningStarted', causation_id: 'e1', job_id: 'deploys.e1.0', actor_id: 'deploys' });
  const attempt = row('e4', { type: 'DeliveryAttempted', stream_id: 'delivery-d1', causation_id: 'e2', job_id: 'd1.1', actor_id: 'webhooks' });

  it('puts the request first, then the event, then the job and everything it wrote, and a delivery with its attempt job', () => {
    expect(causationGraph(requested, [], [started, provisioned, attempt])).toEqual({
      root: 'req-1',
      nodes: [
        { kind: 'request', id: 'req-1', type: 'request', at: requested.occurred_at, parent_id: null },
        { kind: 'event', id: 'e1', type: 'InstanceRequested', at: requested.occurred_at, parent_id: 'req-1' },
        { kind: 'job', id: 'deploys.e1.0', type: 'deploys', at: started.occurred_at, parent_id: 'e1' },
        { kind: 'event', id: 'e3', type: 'InstanceProvisioningStarted', at: started.occurred_at, parent_id: 'deploys.e1.0' },
        { kind: 'event', id: 'e2', type: 'InstanceProvisioned', at: provisioned.occurred_at, parent_id: 'deploys.e1.0' },
        { kind: 'delivery', id: 'd1', type: 'webhook_delivery', at: attempt.occurred_at, parent_id: 'e2' },
        { kind: 'job', id: 'd1.1', type: 'webhooks', at: attempt.occurred_at, parent_id: 'd1' },
        { kind: 'event', id: 'e4', type: 'DeliveryAttempted', at: attempt.occurred_at, parent_id: 'd1.1' },
      ],
    });
  });

  it('walks up from an effect through its job to the request', () => {
    const graph = causationGraph(provisioned, [requested], []);
    expect(graph.root).toBe('req-1');
    expect(graph.nodes.map((n) => [n.kind, n.id, n.parent_id])).toEqual([
      ['request', 'req-1', null],
      ['event', 'e1', 'req-1'],
      ['job', 'deploys.e1.0', 'e1'],
      ['event', 'e2', 'deploys.e1.0'],
    ]);
  });

  it('roots a scheduled job’s events at the job, and an event of unknown cause at itself', () => {
    const swept = row('e5', { type: 'StreamLeaseExpired', correlation_id: 'sweep.1.s1', causation_id: 'sweep.1.s1', job_id: 'sweep.1.s1', actor_id: 'stream-leases' });
    expect(causationGraph(swept, [], []).nodes[0]).toEqual({ kind: 'job', id: 'sweep.1.s1', type: 'stream-leases', at: swept.occurred_at, parent_id: null });
    expect(causationGraph(row('e6', { causation_id: 'elsewhere' }), [], []).root).toBe('e6');
  });
});
