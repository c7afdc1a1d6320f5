import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, RecordedEvent } from '@streamplane/eventstore';
import { RecordDeliveryAttempt } from '@streamplane/webhooks/commands/delivery-commands';
import { deliveryIdOf } from '@streamplane/webhooks/delivery/delivery-reactor';
import { routeKey, validRequests } from './support/route-bodies';
import { registeredRoutes } from './support/routes';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { memberOf, tenant, Tenant } from './support/workspaces';

type Headers = { Authorization: string };
type Call = (url: string) => request.Test;
const call = (t: TestApp, method: string): Call => (t.http as unknown as Record<string, Call>)[method].bind(t.http);
const isProblem = (res: request.Response, status: number) => res.status === status && String(res.headers['content-type']).startsWith('application/problem+json') && res.body.status === status;

/** Workspace B's real entities: every id and name A will try, and every string that must never reach A. */
interface Foreign {
  workspaceId: string;
  /** B's statement for this month: B's instance was metered until its deploy replaced it. */
  statementId: string;
  clusterId: string;
  instanceId: string;
  deployId: string;
  /** A freeze of B's cluster, placed once B's deploy is done. */
  blockId: string;
  groupId: string;
  groupName: string;
  streamId: string;
  streamName: string;
  reference: string;
  memberId: string;
  memberEmail: string;
  invitationId: string;
  limitRequestId: string;
  tokenId: string;
  serviceTokenId: string;
  webhookId: string;
  /** Of B's webhook (recorded directly: B's webhook is disabled, and nothing is sent in this test). */
  deliveryId: string;
  /** B's group's creation, for the events API. */
  eventId: string;
}

/**
 * One request that carries B's ids in its body or query (the path is A's own). `refused`: it must
 * answer exactly as it does with ids that exist nowhere (same status, same problem), and write
 * nothing. `ignored`: a 2xx without B's data, writing nothing (an id of B never enters A's log).
 */
interface BodyCase {
  name: string;
  method: 'get' | 'post' | 'put' | 'delete';
  url: string;
  body?: object;
  query?: Record<string, string>;
  expect: 'refused' | 'ignored';
  /** The answer's own check, beyond "no B data". */
  check?: (res: request.Response) => void;
}

describe('Foreign ids: a member of workspace A using workspace B’s real ids gets 404 or has them ignored; B is untouched', () => {
  let t: TestApp;
  let store: EventStore;
  let a: Tenant;
  let b: Tenant;
  let aMember: { id: string };
  let foreign: Foreign;
  let own: { clusterId: string; instanceId: string; groupId: string; streamId: string };
  let bBefore: unknown;

  /** Every read of B's entities, as B's owner: compared whole before and after the sweeps. */
  async function snapshotOfB() {
    const get = async (url: string) => {
      const res = await t.http.get(url).set(b.owner.headers);
      if (res.status !== 200) throw new Error(`B's own read ${url} answered ${res.status}`);
      return res.body;
    };
    return {
      workspace: await get(b.base),
      members: await get(`${b.base}/members`),
      invitations: await get(`${b.base}/invitations`),
      limitRequests: await get(`${b.base}/limit-requests`),
      cluster: await get(`${b.base}/clusters/${foreign.clusterId}`),
      instance: await get(`${b.base}/instances/${foreign.instanceId}`),
      deploys: await get(`${b.base}/instances/${foreign.instanceId}/deploys`),
      workspaceDeploys: await get(`${b.base}/deploys`),
      deploy: await get(`${b.base}/deploys/${foreign.deployId}`),
      deployBlocks: await get(`${b.base}/deploy-blocks`),
      env: await get(`${b.base}/instances/${foreign.instanceId}/env`),
      group: await get(`${b.base}/groups/${foreign.groupId}`),
      stream: await get(`${b.base}/streams/${foreign.streamId}`),
      logs: await get(`${b.base}/streams/logs`),
      queue: await get(`${b.base}/queue`),
      tokens: await get('/v1/tokens'),
      serviceTokens: await get(`${b.base}/service-tokens`),
      webhook: await get(`${b.base}/webhooks/${foreign.webhookId}`),
      deliveries: await get(`${b.base}/webhooks/${foreign.webhookId}/deliveries`),
    };
  }

  /** B's strings that must never appear in an answer to A (unless A itself sent them). */
  const secretsOfB = () => [foreign.workspaceId, foreign.clusterId, foreign.instanceId, foreign.deployId, foreign.blockId, foreign.groupId, foreign.groupName, foreign.streamId, foreign.streamName, foreign.reference, foreign.memberId, foreign.memberEmail, foreign.invitationId, foreign.limitRequestId, foreign.tokenId, foreign.serviceTokenId, foreign.statementId, foreign.webhookId, foreign.eventId];
  function leaks(res: request.Response, sent: unknown): string[] {
    const said = JSON.stringify(sent ?? {});
    return secretsOfB().filter((secret) => !said.includes(secret) && res.text.includes(secret));
  }

  /** Events appended since `after`, read through the store's port. */
  async function eventsAfter(after: bigint): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll({ after })) events.push(event);
    return events;
  }

  async function runningInstance(ws: Tenant, clusterId: string): Promise<string> {
    const created = await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: clusterId }).expect(202);
    return created.body.id;
  }
  async function waitRunning(ws: Tenant, id: string) {
    await eventually(async () => (await t.http.get(`${ws.base}/instances/${id}`).set(ws.owner.headers)).body.status === 'running', 45_000);
  }

  beforeAll(async () => {
    // No metering tick during the sweep: a running instance's usage would be writes the sweep did not cause.
    t = await startTestApp('foreign_id_sweep', { env: { METERING_INTERVAL_SECONDS: '86400' } });
    store = t.app.get<EventStore>(EVENT_STORE);
    [a, b] = [await tenant(t, 'alpha'), await tenant(t, 'bravo')];
    aMember = await memberOf(t, a, 'member');
    const bMember = await memberOf(t, b, 'member');

    // B: one of everything, with names A does not use, so a leak is recognisable.
    const bh = b.owner.headers;
    const bCluster = (await t.http.post(`${b.base}/clusters`).set(bh).send({ name: 'bravo-cluster', image_version: '1.0.0' }).expect(201)).body;
    const aCluster = (await t.http.post(`${a.base}/clusters`).set(a.owner.headers).send({ name: 'alpha-cluster', image_version: '1.0.0' }).expect(201)).body;
    // Real instances (media-node processes; t.close() stops them): A's is where A sends a rollback
    // naming B's deploy, B's is the one that deploy belongs to.
    const [bInstance, aInstance] = [await runningInstance(b, bCluster.id), await runningInstance(a, aCluster.id)];
    const bGroup = (await t.http.post(`${b.base}/groups`).set(bh).send({ group_name: 'bravo-group' }).expect(201)).body;
    const reference = `file:///bravo-${randomUUID()}.mp4`;
    const bStream = (await t.http.post(`${b.base}/streams`).set(bh).send({ name: 'bravo-stream', data: { reference }, event_handler: {}, group_name: 'bravo-group' }).expect(201)).body;
    const invitation = (await t.http.post(`${b.base}/members`).set(bh).send({ email: `bravo-invitee.${Date.now()}@example.com`, role: 'viewer' }).expect(201)).body;
    const limitRequest = (await t.http.post(`${b.base}/limit-requests`).set(bh).send({ desired_limit: 7, reason: 'bravo needs more' }).expect(201)).body;
    const token = (await t.http.post('/v1/tokens').set(bh).send({ name: 'bravo-ci', workspace_id: b.workspaceId }).expect(201)).body;
    const serviceToken = (await t.http.post(`${b.base}/service-tokens`).set(bh).send({ name: 'bravo-handler', scopes: ['streams:handle'] }).expect(201)).body;
    // Disabled, so nothing is sent to the (public, literal) address during the sweep.
    const webhook = (await t.http.post(`${b.base}/webhooks`).set(bh).send({ name: 'bravo-hook', url: 'https://93.184.216.34/bravo', is_enabled: false }).expect(201)).body;
    const deliveryId = deliveryIdOf(webhook.id, bGroup.group_id);
    await t.app.get(CommandBus).execute(
      new RecordDeliveryAttempt({
        ...{ delivery_id: deliveryId, webhook_id: webhook.id, workspace_id: b.workspaceId, event_id: randomUUID(), event_type: 'GroupCreated', event_position: '1' },
        ...{ n: 1, status_code: 500, duration_ms: 3, error: 'HTTP 500', outcome: 'failed', next_attempt_at: null },
      }),
    );

    // A: its own cluster, instance, group and a queued stream (so a take with B's filters has something to pass over).
    const ah = a.owner.headers;
    const aGroup = (await t.http.post(`${a.base}/groups`).set(ah).send({ group_name: 'alpha-group' }).expect(201)).body;
    const aStream = (await t.http.post(`${a.base}/streams`).set(ah).send({ name: 'alpha-stream', data: { reference: 'file:///alpha.mp4' }, event_handler: {}, group_name: 'alpha-group' }).expect(201)).body;

    await waitRunning(b, bInstance);
    const deploy = (await t.http.post(`${b.base}/instances/${bInstance}/deploys`).set(bh).send({ image_version: '1.1.0' }).expect(202)).body;
    await eventually(async () => (await t.http.get(`${b.base}/instances/${bInstance}/deploys`).set(bh)).body.items?.find((d: { id: string; status: string }) => d.id === deploy.id && d.status === 'succeeded'), 45_000);
    await waitRunning(b, bInstance);
    await waitRunning(a, aInstance);
    const block = (await t.http.post(`${b.base}/deploy-blocks`).set(bh).send({ reason: 'bravo freeze', cluster_id: bCluster.id }).expect(201)).body;

    const [statement] = await eventually(async () => {
      const items = (await t.http.get(`${b.base}/billing/statements`).set(bh).expect(200)).body.items;
      return items.length > 0 && items;
    });
    let bGroupCreated: RecordedEvent | undefined;
    for await (const event of store.readStream(`group-${bGroup.group_id}`, { maxCount: 1 })) bGroupCreated = event;
    foreign = {
      eventId: bGroupCreated!.eventId,
      workspaceId: b.workspaceId,
      statementId: statement.id,
      clusterId: bCluster.id,
      instanceId: bInstance,
      deployId: deploy.id,
      blockId: block.id,
      groupId: bGroup.group_id,
      groupName: 'bravo-group',
      streamId: bStream.stream_id,
      streamName: 'bravo-stream',
      reference,
      memberId: bMember.id,
      memberEmail: bMember.email,
      invitationId: invitation.invitation_id,
      limitRequestId: limitRequest.id,
      tokenId: token.id,
      serviceTokenId: serviceToken.id,
      webhookId: webhook.id,
      deliveryId,
    };
    own = { clusterId: aCluster.id, instanceId: aInstance, groupId: aGroup.group_id, streamId: aStream.stream_id };
    bBefore = await snapshotOfB();
  }, 120_000);
  afterAll(async () => {
    // Delete both instances through the API and see their processes gone; close() would also stop
    // them, but this way a leftover process fails the test instead of outliving it silently.
    try {
      for (const [ws, id] of [[a, own?.instanceId], [b, foreign?.instanceId]] as const) {
        if (!ws || !id) continue;
        const { endpoint } = (await t.http.get(`${ws.base}/instances/${id}`).set(ws.owner.headers)).body as { endpoint: string | null };
        await t.http.delete(`${ws.base}/instances/${id}`).set(ws.owner.headers).expect(202);
        await eventually(async () => (await t.http.get(`${ws.base}/instances/${id}`).set(ws.owner.headers)).body.status === 'archived', 30_000);
        expect(endpoint).toMatch(/^http:\/\//);
        await expect(fetch(`${endpoint}/health`)).rejects.toThrow();
      }
    } finally {
      await t.close();
    }
  }, 90_000);

  it('answers 404 problem+json to B’s ids in the path of every route that takes one, with a valid body, and writes nothing', async () => {
    // B's id for each path parameter; a route with a parameter not named here fails the test, so
    // a new kind of id has to be given B's real one before the sweep passes again.
    const idFor = (path: string, name: string): string | undefined =>
      ({
        cluster_id: foreign.clusterId,
        instance_id: foreign.instanceId,
        group_id: foreign.groupId,
        stream_id: foreign.streamId,
        user_id: foreign.memberId,
        invitation_id: foreign.invitationId,
        statement_id: foreign.statementId,
        webhook_id: foreign.webhookId,
        // Not among secretsOfB: the control of a route with two inner ids replaces only the webhook's.
        delivery_id: foreign.deliveryId,
        event_id: foreign.eventId,
        deploy_id: foreign.deployId,
        block_id: foreign.blockId,
        // A version of the catalog, not an entity: B's cluster id is the inner id of those routes.
        image_version: '1.0.0',
        id: path.startsWith('/v1/tokens/') ? foreign.tokenId : undefined,
        token_id: foreign.serviceTokenId,
      })[name];
    const bodies = validRequests({ clusterId: own.clusterId, streamId: own.streamId, groupName: 'alpha-group', memberId: aMember.id });
    // Platform-admin routes answer 403 to any tenant, and the test fixture is not the product.
    const routes = registeredRoutes(t).filter(({ path }) => /\/:\w+/.test(path.replace(/^\/v1\/workspaces\/:workspace_id/, '')) && !path.startsWith('/v1/admin/') && !path.startsWith('/v1/test/'));
    expect(routes.length).toBeGreaterThanOrEqual(25);

    const wrong: string[] = [];
    const headBefore = await store.headPosition();
    for (const { method, path } of routes) {
      // `:mode` names a kind of usage read, not an entity: those routes have no id to sweep.
      const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]).filter((n) => n !== 'workspace_id' && n !== 'mode');
      if (names.length === 0) continue;
      const unknown = names.filter((n) => !idFor(path, n));
      if (unknown.length) {
        wrong.push(`${routeKey(method, path)}: no B id for :${unknown.join(', :')}`);
        continue;
      }
      // Inner ids from B, in A's workspace (the guard passes, the id must not) and in B's (the guard refuses).
      for (const workspaceId of [a.workspaceId, b.workspaceId]) {
        const url = path.replace(/:(\w+)/g, (_m, n: string) => (n === 'workspace_id' ? workspaceId : idFor(path, n)!));
        const { body, query } = bodies[routeKey(method, path)] ?? {};
        const res = await call(t, method)(url).query(query ?? {}).set(a.owner.headers).send(body ?? {});
        if (!isProblem(res, 404)) wrong.push(`${routeKey(method, path)} in ${workspaceId === a.workspaceId ? 'A' : 'B'} answered ${res.status} ${res.text.slice(0, 120)}`);
        // Word for word what an id that exists nowhere gets, so the 404 tells A nothing either.
        const control = await call(t, method)(url.split(foreignIdsIn(url)).join(NOWHERE_ID)).query(query ?? {}).set(a.owner.headers).send(body ?? {});
        if (masked(res) !== masked(control)) wrong.push(`${routeKey(method, path)}: answered ${masked(res)}, but for an id that exists nowhere ${masked(control)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await eventsAfter(headBefore)).toEqual([]);
  });

  it('refuses or ignores B’s ids and names in bodies and filters, exactly as ids that exist nowhere, and never answers with B’s data', async () => {
    const f = foreign;
    const stream = { data: { reference: 'file:///alpha-2.mp4' }, event_handler: {} };
    const cases: BodyCase[] = [
      { name: 'stream create into B’s group', method: 'post', url: '/streams', body: { ...stream, group_name: f.groupName }, expect: 'refused' },
      { name: 'stream PUT into B’s group', method: 'put', url: `/streams/${own.streamId}`, body: { ...stream, group_name: f.groupName }, expect: 'refused' },
      { name: 'bulk delete by B’s stream id', method: 'delete', url: '/streams', body: { stream_ids: [f.streamId] }, expect: 'ignored', check: (r) => expect(r.body).toEqual({ deleted: 0 }) },
      { name: 'bulk delete by B’s stream name', method: 'delete', url: '/streams', body: { names: [f.streamName] }, expect: 'ignored', check: (r) => expect(r.body).toEqual({ deleted: 0 }) },
      { name: 'attach B’s stream to A’s group', method: 'post', url: `/groups/${own.groupId}/streams`, body: { action: 'attach', stream_ids: [f.streamId] }, expect: 'refused' },
      // Detaching what is not in the group is a no-op on the group's members, recorded on A's group.
      { name: 'detach B’s stream from A’s group', method: 'post', url: `/groups/${own.groupId}/streams`, body: { action: 'detach', stream_ids: [f.streamId] }, expect: 'ignored', check: (r) => expect(r.body.stream_count).toBe(1) },
      { name: 'take filtered by B’s stream id', method: 'post', url: '/queue/take', body: { limit: 10, filters: { stream_ids: [f.streamId] } }, expect: 'ignored', check: (r) => expect(r.body.items).toEqual([]) },
      { name: 'take filtered by B’s stream name', method: 'post', url: '/queue/take', body: { limit: 10, filters: { names: [f.streamName] } }, expect: 'ignored', check: (r) => expect(r.body.items).toEqual([]) },
      { name: 'take filtered by B’s group', method: 'post', url: '/queue/take', body: { limit: 10, filters: { group_names: [f.groupName] } }, expect: 'ignored', check: (r) => expect(r.body.items).toEqual([]) },
      ...(['in_progress', 'done', 'failure', 'restart'] as const).map(
        (status): BodyCase => ({
          name: `feedback ${status} on B’s stream`,
          method: 'post',
          url: '/queue/feedback',
          body: { streams: [{ stream_id: f.streamId, status }] },
          expect: 'ignored',
          check: (r) => expect(r.body.items).toEqual([{ stream_id: f.streamId, accepted: false, status: 'not_found', detail: expect.any(String) }]),
        }),
      ),
      { name: 'queue peek by B’s stream id', method: 'get', url: '/queue', query: { stream_ids: f.streamId }, expect: 'ignored', check: (r) => expect(r.body.items).toEqual([]) },
      { name: 'queue peek by B’s stream name', method: 'get', url: '/queue', query: { names: f.streamName }, expect: 'ignored', check: (r) => expect(r.body.items).toEqual([]) },
      { name: 'streams by B’s id', method: 'get', url: '/streams', query: { stream_ids: f.streamId }, expect: 'ignored', check: (r) => expect(r.body.total).toBe(0) },
      { name: 'events about B’s stream', method: 'get', url: '/events', query: { target_id: f.streamId, types: 'StreamCreated' }, expect: 'ignored', check: (r) => expect(r.body.items).toEqual([]) },
      { name: 'events by B’s member', method: 'get', url: '/events', query: { actor_id: f.memberId }, expect: 'ignored', check: (r) => expect(r.body.items).toEqual([]) },
      { name: 'streams by B’s name', method: 'get', url: '/streams', query: { names: f.streamName }, expect: 'ignored', check: (r) => expect(r.body.total).toBe(0) },
      { name: 'streams by B’s reference', method: 'get', url: '/streams', query: { reference: f.reference }, expect: 'ignored', check: (r) => expect(r.body.total).toBe(0) },
      { name: 'streams in B’s group', method: 'get', url: '/streams', query: { group_name: f.groupName }, expect: 'ignored', check: (r) => expect(r.body.total).toBe(0) },
      { name: 'stream count by B’s id', method: 'get', url: '/streams/count', query: { stream_ids: f.streamId }, expect: 'ignored', check: (r) => expect(r.body).toEqual({ count: 0 }) },
      { name: 'stream logs by B’s id', method: 'get', url: '/streams/logs', query: { stream_ids: f.streamId }, expect: 'ignored', check: (r) => expect(r.body.total).toBe(0) },
      { name: 'groups by B’s id', method: 'get', url: '/groups', query: { group_ids: f.groupId }, expect: 'ignored', check: (r) => expect(r.body.total).toBe(0) },
      { name: 'groups by B’s name', method: 'get', url: '/groups', query: { group_names: f.groupName }, expect: 'ignored', check: (r) => expect(r.body.total).toBe(0) },
      { name: 'group count by B’s id', method: 'get', url: '/groups/count', query: { group_ids: f.groupId }, expect: 'ignored', check: (r) => expect(r.body).toEqual({ count: 0 }) },
      { name: 'instances on B’s cluster', method: 'get', url: '/instances', query: { cluster_id: f.clusterId }, expect: 'ignored', check: (r) => expect(r.body.total).toBe(0) },
      { name: 'instance count on B’s cluster', method: 'get', url: '/instances/count', query: { cluster_id: f.clusterId }, expect: 'ignored', check: (r) => expect(r.body).toEqual({ count: 0 }) },
      { name: 'instance on B’s cluster', method: 'post', url: '/instances', body: { cluster_id: f.clusterId }, expect: 'refused' },
      { name: 'deploys on B’s cluster', method: 'get', url: '/deploys', query: { cluster_id: f.clusterId }, expect: 'ignored', check: (r) => expect(r.body.total).toBe(0) },
      { name: 'deploys of B’s instance', method: 'get', url: '/deploys', query: { instance_id: f.instanceId }, expect: 'ignored', check: (r) => expect(r.body.total).toBe(0) },
      { name: 'freeze B’s cluster', method: 'post', url: '/deploy-blocks', body: { reason: 'mine now', cluster_id: f.clusterId }, expect: 'refused' },
      { name: 'rollback to B’s deploy', method: 'post', url: `/instances/${own.instanceId}/rollback`, body: { deploy_id: f.deployId }, expect: 'refused' },
      { name: 'ownership to B’s member', method: 'post', url: '/transfer-ownership', body: { user_id: f.memberId }, expect: 'refused' },
    ];

    const wrong: string[] = [];
    for (const c of cases) {
      const headBefore = await store.headPosition();
      const res = await send(c, a.workspaceId, a.owner.headers);
      const written = await eventsAfter(headBefore);
      const leaked = leaks(res, c);
      if (leaked.length) wrong.push(`${c.name}: answered with B's ${leaked.join(', ')}`);
      if (c.expect === 'ignored' && (res.status < 200 || res.status > 299)) wrong.push(`${c.name}: expected a 2xx ignoring the id, got ${res.status} ${res.text.slice(0, 120)}`);
      if (c.expect === 'refused' && (res.status < 400 || res.status >= 500)) wrong.push(`${c.name}: expected a refusal, got ${res.status}`);
      // The same request with ids that exist nowhere: B's must not answer differently, or the
      // answer itself tells A that they exist.
      const control = await send(withNowhereIds(c), a.workspaceId, a.owner.headers);
      if (res.status !== control.status || masked(res) !== masked(control)) wrong.push(`${c.name}: answered ${res.status} ${masked(res)}, but for ids that exist nowhere ${control.status} ${masked(control)}`);
      if (c.check) {
        try {
          c.check(res);
        } catch (error) {
          wrong.push(`${c.name}: ${(error as Error).message.split('\n').slice(0, 6).join(' ')}`);
        }
      }
      if (written.length) wrong.push(`${c.name}: appended ${written.map((e) => `${e.type} on ${e.streamId}`).join(', ')}`);
    }
    expect(wrong).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it('refuses B’s token and B’s workspace in A’s token routes', async () => {
    const headBefore = await store.headPosition();
    expect(isProblem(await t.http.post('/v1/tokens').set(a.owner.headers).send({ name: 'sneaky', workspace_id: foreign.workspaceId }), 404)).toBe(true);
    expect(isProblem(await t.http.delete(`/v1/tokens/${foreign.tokenId}`).set(a.owner.headers), 404)).toBe(true);
    const mine = await t.http.get('/v1/tokens').set(a.owner.headers).expect(200);
    expect(leaks(mine, {})).toEqual([]);
    expect(await eventsAfter(headBefore)).toEqual([]);
  });

  it('shows none of B’s data in any of A’s own reads (every GET without an inner id)', async () => {
    const reads = registeredRoutes(t).filter(({ method, path }) => method === 'get' && path.startsWith('/v1/workspaces/:workspace_id') && !/\/:\w+/.test(path.replace(/^\/v1\/workspaces\/:workspace_id/, '')));
    expect(reads.length).toBeGreaterThanOrEqual(10);
    const wrong: string[] = [];
    for (const { path } of [...reads, { path: '/v1/workspaces' }]) {
      const res = await t.http.get(path.replace(':workspace_id', a.workspaceId)).set(a.owner.headers);
      if (res.status !== 200) wrong.push(`${path} answered ${res.status}`);
      const leaked = leaks(res, {});
      if (leaked.length) wrong.push(`${path} answered with B's ${leaked.join(', ')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('leaves every entity of B exactly as it was (read as B’s owner)', async () => {
    expect(await snapshotOfB()).toEqual(bBefore);
  });

  function send(c: BodyCase, workspaceId: string, headers: Headers): Promise<request.Response> {
    return call(t, c.method)(`/v1/workspaces/${workspaceId}${c.url}`)
      .query(c.query ?? {})
      .set(headers)
      .send(c.body ?? {})
      .then((res) => res);
  }

  /** The one inner id of B in a swept URL (every swept route has exactly one besides the workspace's). */
  function foreignIdsIn(url: string): string {
    const inner = secretsOfB().filter((id) => id !== foreign.workspaceId && url.includes(id));
    if (inner.length !== 1) throw new Error(`expected one inner id of B in ${url}`);
    return inner[0];
  }

  /** The case with each of B's ids and names replaced by one that exists nowhere. */
  function withNowhereIds(c: BodyCase): BodyCase {
    let text = JSON.stringify({ body: c.body, query: c.query, url: c.url });
    for (const secret of secretsOfB()) text = text.split(secret).join(secret.includes('-') && secret.length === 36 ? NOWHERE_ID : 'nowhere-name');
    const parsed = JSON.parse(text) as { body?: object; query?: Record<string, string>; url: string };
    return { ...c, ...parsed };
  }

  /** An answer with the ids it echoes masked, so B's answer and the nowhere one compare whole. */
  function masked(res: request.Response): string {
    let text = res.text;
    for (const secret of [...secretsOfB(), NOWHERE_ID, 'nowhere-name']) text = text.split(secret).join('<id>');
    return text;
  }
});

const NOWHERE_ID = randomUUID();
