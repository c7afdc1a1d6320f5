import { randomUUID } from 'node:crypto';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { tenant, Tenant } from './support/workspaces';

type Event = { event_id: string; type: string; metadata: { correlation_id: string; causation_id: string; request_id: string | null } };
type Node = { kind: string; id: string; type: string; at: string; parent_id: string | null };

describe('Audit causation: from a request through its jobs to everything they wrote', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let instanceId: string;
  let requested: Event;
  let provisioned: Event;
  const requestId = `causation-${randomUUID()}`;
  const causationOf = (ws: Tenant, eventId: string) => t.http.get(`${ws.base}/events/${eventId}/causation`).set(ws.owner.headers);

  beforeAll(async () => {
    t = await startTestApp('audit_causation', { env: { METERING_INTERVAL_SECONDS: '86400' } });
    [a, b] = [await tenant(t, 'causes-a'), await tenant(t, 'causes-b')];
    const cluster = (await t.http.post(`${a.base}/clusters`).set(a.owner.headers).send({ name: 'c', image_version: '1.0.0' }).expect(201)).body;
    instanceId = (await t.http.post(`${a.base}/instances`).set(a.owner.headers).set('X-Request-Id', requestId).send({ cluster_id: cluster.id }).expect(202)).body.id;
    // The deploy job writes InstanceProvisioned once the media node answers.
    const events = await eventually(async () => {
      const items = (await t.http.get(`${a.base}/events`).query({ target_id: instanceId }).set(a.owner.headers).expect(200)).body.items as Event[];
      return items.some((e) => e.type === 'InstanceProvisioned') && items;
    }, 45_000);
    requested = events.find((e) => e.type === 'InstanceRequested')!;
    provisioned = events.find((e) => e.type === 'InstanceProvisioned')!;
  }, 90_000);
  afterAll(() => t.close());

  it('carries the request’s correlation id into what its jobs write, and names the causing event', async () => {
    expect(provisioned.metadata.correlation_id).toBe(requested.metadata.correlation_id);
    expect(provisioned.metadata.causation_id).toBe(requested.event_id);
    expect(requested.metadata.request_id).toBe(requestId);
    const correlated = (await t.http.get(`${a.base}/events`).query({ correlation_id: requested.metadata.correlation_id }).set(a.owner.headers).expect(200)).body.items as Event[];
    expect(correlated.map((e) => e.type)).toEqual(expect.arrayContaining(['InstanceRequested', 'InstanceProvisioningStarted', 'InstanceProvisioned']));
    const { rows } = await t.db.pool.query(`SELECT metadata->>'job_id' AS job_id FROM events WHERE event_id = $1`, [provisioned.event_id]);
    expect(rows[0].job_id).toEqual(expect.stringContaining(requested.event_id));
  });

  it('answers everything a request’s event caused: the job between them, and the job’s events under it', async () => {
    const graph = (await causationOf(a, requested.event_id).expect(200)).body as { root: string; nodes: Node[] };
    expect(graph.root).toBe(requested.metadata.correlation_id);
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    expect(byId.get(graph.root)).toEqual({ kind: 'request', id: graph.root, type: 'request', at: expect.any(String), parent_id: null });
    expect(byId.get(requested.event_id)).toMatchObject({ kind: 'event', type: 'InstanceRequested', parent_id: graph.root });
    const job = graph.nodes.find((n) => n.kind === 'job')!;
    expect(job).toMatchObject({ parent_id: requested.event_id, type: expect.stringContaining('deploys') });
    expect(byId.get(provisioned.event_id)).toMatchObject({ kind: 'event', type: 'InstanceProvisioned', parent_id: job.id });
    // Every parent is a node of the graph: it is one tree.
    for (const node of graph.nodes) if (node.parent_id !== null) expect(byId.has(node.parent_id)).toBe(true);
  });

  it('walks up from an effect to the request it started from', async () => {
    const graph = (await causationOf(a, provisioned.event_id).expect(200)).body as { root: string; nodes: Node[] };
    expect(graph.root).toBe(requested.metadata.correlation_id);
    expect(graph.nodes.slice(0, 2).map((n) => [n.kind, n.id])).toEqual([
      ['request', requested.metadata.correlation_id],
      ['event', requested.event_id],
    ]);
    expect(graph.nodes.find((n) => n.id === provisioned.event_id)?.parent_id).toEqual(expect.stringContaining(requested.event_id));
  });

  it('answers 404 for another workspace’s event and 400 for a malformed id', async () => {
    expect((await causationOf(b, requested.event_id).expect(404)).body.code).toBe('not_found');
    await causationOf(a, randomUUID()).expect(404);
    await causationOf(a, 'not-an-id').expect(400);
  });
});
