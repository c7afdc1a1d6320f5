import { randomUUID } from 'node:crypto';
import { EventCatalog } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { verifiedUser } from './support/users';
import { tenant, Tenant } from './support/workspaces';

type Event = { position: string; event_id: string; type: string; event_version: number; stream_id: string; revision: string; target: { type: string; id: string }; actor: { type: string; id: string }; occurred_at: string; data: Record<string, unknown>; metadata: Record<string, string | null> };

describe('Audit: the events API over the log', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let streamId: string;
  let groupId: string;
  const requestId = `audit-${randomUUID()}`;
  const events = (ws: Tenant, query: Record<string, string | number> = {}) => t.http.get(`${ws.base}/events`).query(query).set(ws.owner.headers);
  /** Every page of a query, walked by `after`. */
  async function walk(ws: Tenant, query: Record<string, string | number>): Promise<Event[]> {
    const all: Event[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const res = await events(ws, { ...query, ...(after ? { after } : {}) }).expect(200);
      all.push(...res.body.items);
      if (res.body.next_after === null) return all;
      after = res.body.next_after;
    }
    throw new Error('more than 100 pages');
  }

  beforeAll(async () => {
    t = await startTestApp('audit_events');
    [a, b] = [await tenant(t, 'audit-a'), await tenant(t, 'audit-b')];
    groupId = (await t.http.post(`${a.base}/groups`).set(a.owner.headers).send({ group_name: 'lobby' }).expect(201)).body.group_id;
    streamId = (await t.http.post(`${a.base}/streams`).set(a.owner.headers).set('X-Request-Id', requestId).send({ name: 'cam', data: { reference: 'file:///cam.mp4' }, event_handler: {} }).expect(201)).body.stream_id;
    await t.http.patch(`${a.base}/streams/${streamId}`).set(a.owner.headers).send({ description: 'front door' }).expect(200);
    await t.http.post(`${b.base}/groups`).set(b.owner.headers).send({ group_name: 'lobby' }).expect(201);
    // Every write above is in the audit projection before the tests read it.
    await eventually(async () => (await events(a, { target_id: streamId })).body.items?.length === 2);
  });
  afterAll(() => t.close());

  it('lists the workspace’s events in log order, in the event shape, and none of another workspace', async () => {
    const all = await walk(a, {});
    expect(all.map((e) => e.type)).toEqual(expect.arrayContaining(['WorkspaceCreated', 'GroupCreated', 'StreamCreated', 'StreamUpdated']));
    const positions = all.map((e) => BigInt(e.position));
    expect(positions).toEqual([...positions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    const created = all.find((e) => e.type === 'StreamCreated')!;
    expect(created).toEqual({
      position: expect.stringMatching(/^\d+$/),
      event_id: expect.any(String),
      type: 'StreamCreated',
      event_version: expect.any(Number),
      stream_id: `stream-${streamId}`,
      revision: '0',
      target: { type: 'stream', id: streamId },
      actor: { type: 'user', id: a.owner.id },
      occurred_at: expect.any(String),
      data: expect.objectContaining({ name: 'cam' }),
      metadata: { correlation_id: expect.any(String), causation_id: expect.any(String), request_id: requestId },
    });
    const bGroup = (await walk(b, { types: 'GroupCreated' }))[0];
    expect(all.map((e) => e.event_id)).not.toContain(bGroup.event_id);
    // Accounts are platform events: the owner's registration is not the workspace's.
    expect(all.map((e) => e.type)).not.toContain('UserRegistered');
  });

  it('combines every filter: types, target, actor, correlation and the time window', async () => {
    const typed = (await events(a, { types: 'StreamCreated,GroupCreated' }).expect(200)).body.items as Event[];
    expect(typed.map((e) => e.type).sort()).toEqual(['GroupCreated', 'StreamCreated']);
    const target = (await events(a, { target_type: 'stream', target_id: streamId }).expect(200)).body.items as Event[];
    expect(target.map((e) => e.type)).toEqual(['StreamCreated', 'StreamUpdated']);
    expect((await events(a, { target_type: 'group', target_id: streamId }).expect(200)).body.items).toEqual([]);
    const byActor = (await events(a, { actor_id: a.owner.id, types: 'GroupCreated' }).expect(200)).body.items as Event[];
    expect(byActor.map((e) => e.target.id)).toEqual([groupId]);
    expect((await events(a, { actor_id: b.owner.id }).expect(200)).body.items).toEqual([]);
    // The server's correlation id of the request that created the stream, not the client's request id.
    const correlated = (await events(a, { correlation_id: target[0].metadata.correlation_id! }).expect(200)).body.items as Event[];
    expect(correlated.map((e) => e.type)).toEqual(['StreamCreated']);
    expect((await events(a, { correlation_id: requestId }).expect(200)).body.items).toEqual([]);
    const updated = target[1];
    expect((await events(a, { target_id: streamId, since: updated.occurred_at }).expect(200)).body.items.map((e: Event) => e.type)).toEqual(['StreamUpdated']);
    expect((await events(a, { target_id: streamId, until: updated.occurred_at }).expect(200)).body.items.map((e: Event) => e.type)).toEqual(['StreamCreated']);
    expect((await events(a, { target_id: streamId, types: 'StreamUpdated', actor_id: a.owner.id, since: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' }).expect(200)).body.items).toHaveLength(1);
  });

  it('pages by an exclusive `after`: every event once, in order, and next_after is null on the last page', async () => {
    const whole = (await events(a, { limit: 1000 }).expect(200)).body;
    expect(whole.next_after).toBeNull();
    const paged = await walk(a, { limit: 2 });
    expect(paged.map((e) => e.event_id)).toEqual(whole.items.map((e: Event) => e.event_id));
    const first = (await events(a, { limit: 2 }).expect(200)).body;
    expect(first.next_after).toBe(first.items[1].position);
    expect((await events(a, { after: first.items[0].position, limit: 1 }).expect(200)).body.items[0].event_id).toBe(first.items[1].event_id);
  });

  it('answers 400 naming the field for a limit out of 1–1000, an unparsable time or position', async () => {
    for (const [query, field] of [
      [{ limit: 1001 }, 'limit'],
      [{ limit: 0 }, 'limit'],
      [{ since: 'yesterday' }, 'since'],
      [{ until: '2026-13-45' }, 'until'],
      [{ after: '-1' }, 'after'],
      [{ after: '99999999999999999999' }, 'after'],
    ] as const) {
      const res = await events(a, query).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('reads one event by id; another workspace’s event id is 404 and a malformed one 400', async () => {
    const [created] = (await events(a, { types: 'StreamCreated' }).expect(200)).body.items as Event[];
    expect((await t.http.get(`${a.base}/events/${created.event_id}`).set(a.owner.headers).expect(200)).body).toEqual(created);
    const [bGroup] = (await events(b, { types: 'GroupCreated' }).expect(200)).body.items as Event[];
    expect((await t.http.get(`${a.base}/events/${bGroup.event_id}`).set(a.owner.headers).expect(404)).body.code).toBe('not_found');
    await t.http.get(`${a.base}/events/not-an-id`).set(a.owner.headers).expect(400);
  });

  it('shows platform events only in /v1/admin/events, to platform admins', async () => {
    const registered = (await t.http.get('/v1/admin/events').query({ types: 'UserRegistered', target_id: a.owner.id }).set(t.admin).expect(200)).body.items as Event[];
    expect(registered).toHaveLength(1);
    expect(registered[0].target).toEqual({ type: 'user', id: a.owner.id });
    const both = (await t.http.get('/v1/admin/events').query({ types: 'GroupCreated', limit: 1000 }).set(t.admin).expect(200)).body.items as Event[];
    expect(both.map((e) => e.target.id)).toContain(groupId);
    expect(both.length).toBeGreaterThanOrEqual(2);
    await t.http.get('/v1/admin/events').set(a.owner.headers).expect(403);
    await t.http.get('/v1/admin/events').query({ limit: 5000 }).set(t.admin).expect(400);
  });

  it('never shows sealed personal data: a deleted account’s email reads as null, while the log keeps only ciphertext', async () => {
    const gone = await verifiedUser(t, 'shredded');
    await t.http.delete('/v1/me').set(gone.headers).expect(204);
    const [registered] = (await t.http.get('/v1/admin/events').query({ types: 'UserRegistered', target_id: gone.id }).set(t.admin).expect(200)).body.items as Event[];
    expect(registered.data).toEqual(expect.objectContaining({ user_id: gone.id, email: null }));
    const stored = (await t.db.pool.query<{ data: { email: string } }>('SELECT data FROM events WHERE event_id = $1', [registered.event_id])).rows[0];
    expect(stored.data.email).toMatch(/^enc:v1:/);
    // No sealed value of any kind leaves through the events API.
    const everything = JSON.stringify((await t.http.get('/v1/admin/events').query({ limit: 1000 }).set(t.admin).expect(200)).body);
    expect(everything).not.toMatch(/enc:v1:|sealed:v1:/);
  });

  it('upcasts at read time through the catalogue: a stored version 1 event reads in today’s shape', async () => {
    const clusterId = randomUUID();
    const eventId = randomUUID();
    await t.app.get<EventStore>(EVENT_STORE).append(
      `cluster-${clusterId}`,
      [{ eventId, type: 'ClusterCreated', data: { at: new Date().toISOString(), cluster_id: clusterId, workspace_id: a.workspaceId, name: 'old', image_version: '1.0.0', token: 'in-clear' }, metadata: { event_version: 1, workspace_id: a.workspaceId } }],
      'no_stream',
    );
    const event = await eventually(async () => {
      const res = await t.http.get(`${a.base}/events/${eventId}`).set(a.owner.headers);
      return res.status === 200 && (res.body as Event);
    });
    expect(event.event_version).toBe(2);
    expect(event.data).not.toHaveProperty('token');
    expect(event.data.token_sha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = (await t.db.pool.query<{ stored_version: number }>('SELECT stored_version FROM read.audit_events WHERE event_id = $1', [eventId])).rows[0];
    expect(stored.stored_version).toBe(1);
  });

  it('lists every kind of the catalogue at /v1/events/kinds, with its version, description and target', async () => {
    const kinds = (await t.http.get('/v1/events/kinds').set(a.owner.headers).expect(200)).body as Array<{ type: string; event_version: number; description: string; target_type: string }>;
    expect(kinds.map((k) => k.type)).toEqual(t.app.get(EventCatalog).list().map((k) => k.type));
    expect(kinds.find((k) => k.type === 'StreamCreated')).toEqual({ type: 'StreamCreated', event_version: expect.any(Number), description: expect.any(String), target_type: 'stream' });
    expect(kinds.find((k) => k.type === 'UserRegistered')?.event_version).toBe(2);
    await t.http.get('/v1/events/kinds').expect(401);
  });

  describe('history: an entity’s own events, in order', () => {
    const history = (ws: Tenant, path: string, query: Record<string, string | number> = {}) => t.http.get(`${ws.base}/${path}/history`).query(query).set(ws.owner.headers);
    const types = (res: { body: { items: Event[] } }) => res.body.items.map((e) => e.type);

    it('of a stream and a group, paged as the events API pages; another workspace’s is 404', async () => {
      expect(types(await history(a, `streams/${streamId}`).expect(200))).toEqual(['StreamCreated', 'StreamUpdated']);
      const first = (await history(a, `streams/${streamId}`, { limit: 1 }).expect(200)).body;
      expect(first.items.map((e: Event) => e.revision)).toEqual(['0']);
      expect((await history(a, `streams/${streamId}`, { after: first.next_after }).expect(200)).body.items.map((e: Event) => e.revision)).toEqual(['1']);
      expect(types(await history(a, `groups/${groupId}`).expect(200))).toEqual(['GroupCreated']);
      expect((await history(b, `streams/${streamId}`).expect(404)).body.code).toBe('not_found');
      await history(a, `groups/${randomUUID()}`).expect(404);
      await history(a, 'groups/not-an-id').expect(400);
    });

    it('of a cluster, a webhook, an instance and one of its deploys', async () => {
      const cluster = (await t.http.post(`${a.base}/clusters`).set(a.owner.headers).send({ name: 'main', image_version: '1.0.0' }).expect(201)).body;
      await t.http.patch(`${a.base}/clusters/${cluster.id}`).set(a.owner.headers).send({ name: 'renamed' }).expect(200);
      // The audit projection may trail the fleet's, which the writes waited for.
      const ofCluster = await eventually(async () => {
        const res = await history(a, `clusters/${cluster.id}`);
        return res.status === 200 && res.body.items.length === 2 && types(res);
      });
      expect(ofCluster).toEqual(['ClusterCreated', 'ClusterUpdated']);
      const webhook = (await t.http.post(`${a.base}/webhooks`).set(a.owner.headers).send({ name: 'audited', url: 'https://93.184.216.34/hook', is_enabled: false }).expect(201)).body;
      const [created] = await eventually(async () => {
        const res = await history(a, `webhooks/${webhook.id}`);
        return res.status === 200 && (res.body.items as Event[]);
      });
      expect(created).toMatchObject({ type: 'WebhookCreated', data: { name: 'audited', sealed_secret: null } });

      const instance = (await t.http.post(`${a.base}/instances`).set(a.owner.headers).send({ cluster_id: cluster.id }).expect(202)).body;
      await eventually(async () => (await t.http.get(`${a.base}/instances/${instance.id}`).set(a.owner.headers)).body.status === 'running', 45_000);
      const deploy = (await t.http.post(`${a.base}/instances/${instance.id}/deploys`).set(a.owner.headers).send({ image_version: '1.1.0' }).expect(202)).body;
      const deployed = await eventually(async () => {
        const items = (await history(a, `deploys/${deploy.id}`)).body.items as Event[] | undefined;
        return items?.some((e) => e.type === 'DeployCompleted') && items;
      }, 45_000);
      expect(deployed.map((e) => e.type)).toEqual(['DeployRequested', 'DeployStarted', 'DeployCompleted']);
      expect(deployed.every((e) => e.data.deploy_id === deploy.id)).toBe(true);
      const ofInstance = types(await history(a, `instances/${instance.id}`, { limit: 1000 }).expect(200));
      expect(ofInstance[0]).toBe('InstanceRequested');
      expect(ofInstance).toEqual(expect.arrayContaining(['InstanceProvisioned', 'DeployRequested', 'DeployCompleted']));
      await history(b, `deploys/${deploy.id}`).expect(404);
    }, 120_000);
  });

  describe('export', () => {
    const FILTER = { types: 'StreamCreated,StreamUpdated,GroupCreated' };
    const exportOf = (query: Record<string, string>, headers = a.owner.headers) =>
      t.http.get(`${a.base}/events/export`).query(query).set(headers).buffer(true).parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });

    it('streams NDJSON and CSV of the matching events, and records each export as AuditExported (who, filters, count)', async () => {
      const listed = (await events(a, { ...FILTER, limit: 1000 }).expect(200)).body.items as Event[];
      expect(listed.length).toBe(3);

      const ndjson = await exportOf(FILTER).expect(200);
      expect(ndjson.headers['content-type']).toMatch(/^application\/x-ndjson/);
      const lines = (ndjson.body as string).trimEnd().split('\n').map((line) => JSON.parse(line) as Event);
      expect(lines).toEqual(listed);

      const csv = await exportOf({ ...FILTER, format: 'csv', since: listed[1].occurred_at }).expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const rows = (csv.body as string).trimEnd().split('\r\n');
      expect(rows[0].split(',')).toEqual(expect.arrayContaining(['position', 'event_id', 'type', 'target_id', 'data']));
      expect(rows.slice(1).map((row) => row.split(',')[1])).toEqual(listed.filter((e) => e.occurred_at >= listed[1].occurred_at).map((e) => e.event_id));

      const recorded = await eventually(async () => {
        const items = (await events(a, { types: 'AuditExported' })).body.items as Event[] | undefined;
        return items?.length === 2 && items;
      });
      expect(recorded.map((e) => e.data)).toEqual([
        expect.objectContaining({ by: { type: 'user', id: a.owner.id }, format: 'ndjson', filters: { types: ['StreamCreated', 'StreamUpdated', 'GroupCreated'] }, count: 3, complete: true }),
        expect.objectContaining({ format: 'csv', filters: expect.objectContaining({ since: listed[1].occurred_at }), count: rows.length - 1, complete: true }),
      ]);
    });

    it('answers 400 naming the field for an unknown format or time, and 404 to a non-member', async () => {
      expect((await t.http.get(`${a.base}/events/export`).query({ format: 'xml' }).set(a.owner.headers).expect(400)).body.errors.map((e: { field: string }) => e.field)).toContain('format');
      expect((await t.http.get(`${a.base}/events/export`).query({ since: 'soon' }).set(a.owner.headers).expect(400)).body.errors.map((e: { field: string }) => e.field)).toContain('since');
      await t.http.get(`${a.base}/events/export`).set(b.owner.headers).expect(404);
    });
  });
});
