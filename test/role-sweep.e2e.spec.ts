import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { requiredRole, Role, roleAtLeast, ROLES } from '@streamplane/identity';
import { routeKey, ValidRequest, validRequests } from './support/route-bodies';
import { registeredRoutes } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';
import { memberOf, tenant, Tenant } from './support/workspaces';

/**
 * The minimum role of every workspace route, written out from the contract (API.md, Workspaces:
 * owner ⊃ admin (members, clusters, settings) ⊃ member (instances, streams, groups, deploys) ⊃
 * viewer (reads only)), independently of the code: a route whose @RequireRole is lowered (or
 * raised) no longer matches it. A new route must be added here, which is where its role is decided.
 * Beside the chain, an `auditor` may use every GET route and no other (its own test below).
 */
const CONTRACT_ROLES: Record<string, Role> = {
  'get /v1/workspaces/:workspace_id': 'viewer',
  'patch /v1/workspaces/:workspace_id': 'admin',
  'delete /v1/workspaces/:workspace_id': 'owner',
  'get /v1/workspaces/:workspace_id/members': 'viewer',
  'post /v1/workspaces/:workspace_id/members': 'admin',
  'patch /v1/workspaces/:workspace_id/members/:user_id': 'admin',
  'delete /v1/workspaces/:workspace_id/members/:user_id': 'admin',
  'get /v1/workspaces/:workspace_id/invitations': 'admin',
  'delete /v1/workspaces/:workspace_id/invitations/:invitation_id': 'admin',
  'post /v1/workspaces/:workspace_id/transfer-ownership': 'owner',
  'post /v1/workspaces/:workspace_id/limit-requests': 'admin',
  'get /v1/workspaces/:workspace_id/limit-requests': 'viewer',
  'post /v1/workspaces/:workspace_id/service-tokens': 'admin',
  'get /v1/workspaces/:workspace_id/service-tokens': 'admin',
  'delete /v1/workspaces/:workspace_id/service-tokens/:token_id': 'admin',
  'post /v1/workspaces/:workspace_id/clusters': 'admin',
  'get /v1/workspaces/:workspace_id/clusters': 'viewer',
  'get /v1/workspaces/:workspace_id/clusters/:cluster_id': 'viewer',
  'patch /v1/workspaces/:workspace_id/clusters/:cluster_id': 'admin',
  'delete /v1/workspaces/:workspace_id/clusters/:cluster_id': 'admin',
  'post /v1/workspaces/:workspace_id/clusters/:cluster_id/versions/:image_version/no-rollback': 'admin',
  'delete /v1/workspaces/:workspace_id/clusters/:cluster_id/versions/:image_version/no-rollback': 'admin',
  'post /v1/workspaces/:workspace_id/instances': 'member',
  'get /v1/workspaces/:workspace_id/instances': 'viewer',
  'get /v1/workspaces/:workspace_id/instances/count': 'viewer',
  'get /v1/workspaces/:workspace_id/instances/:instance_id': 'viewer',
  'patch /v1/workspaces/:workspace_id/instances/:instance_id': 'member',
  'delete /v1/workspaces/:workspace_id/instances/:instance_id': 'member',
  'post /v1/workspaces/:workspace_id/instances/:instance_id/stop': 'member',
  'post /v1/workspaces/:workspace_id/instances/:instance_id/start': 'member',
  'post /v1/workspaces/:workspace_id/instances/:instance_id/restart': 'member',
  'post /v1/workspaces/:workspace_id/instances/:instance_id/deploys': 'member',
  'get /v1/workspaces/:workspace_id/instances/:instance_id/deploys': 'viewer',
  'post /v1/workspaces/:workspace_id/instances/:instance_id/rollback': 'member',
  'get /v1/workspaces/:workspace_id/instances/:instance_id/env': 'viewer',
  'put /v1/workspaces/:workspace_id/instances/:instance_id/env': 'member',
  'delete /v1/workspaces/:workspace_id/instances/:instance_id/env': 'member',
  'get /v1/workspaces/:workspace_id/instances/:instance_id/logs': 'viewer',
  'get /v1/workspaces/:workspace_id/deploys': 'viewer',
  'get /v1/workspaces/:workspace_id/deploys/:deploy_id': 'viewer',
  'post /v1/workspaces/:workspace_id/deploys/:deploy_id/cancel': 'member',
  'post /v1/workspaces/:workspace_id/deploy-blocks': 'admin',
  'get /v1/workspaces/:workspace_id/deploy-blocks': 'viewer',
  'get /v1/workspaces/:workspace_id/deploy-blocks/:block_id': 'viewer',
  'delete /v1/workspaces/:workspace_id/deploy-blocks/:block_id': 'admin',
  'post /v1/workspaces/:workspace_id/streams': 'member',
  'get /v1/workspaces/:workspace_id/streams': 'viewer',
  'get /v1/workspaces/:workspace_id/streams/count': 'viewer',
  'delete /v1/workspaces/:workspace_id/streams': 'member',
  'get /v1/workspaces/:workspace_id/streams/logs': 'viewer',
  'get /v1/workspaces/:workspace_id/streams/:stream_id': 'viewer',
  'patch /v1/workspaces/:workspace_id/streams/:stream_id': 'member',
  'put /v1/workspaces/:workspace_id/streams/:stream_id': 'member',
  'delete /v1/workspaces/:workspace_id/streams/:stream_id': 'member',
  'post /v1/workspaces/:workspace_id/groups': 'member',
  'get /v1/workspaces/:workspace_id/groups': 'viewer',
  'get /v1/workspaces/:workspace_id/groups/count': 'viewer',
  'get /v1/workspaces/:workspace_id/groups/:group_id': 'viewer',
  'patch /v1/workspaces/:workspace_id/groups/:group_id': 'member',
  'delete /v1/workspaces/:workspace_id/groups/:group_id': 'member',
  'post /v1/workspaces/:workspace_id/groups/:group_id/streams': 'member',
  'get /v1/workspaces/:workspace_id/queue': 'viewer',
  'post /v1/workspaces/:workspace_id/queue/take': 'member',
  'post /v1/workspaces/:workspace_id/queue/feedback': 'member',
  'get /v1/workspaces/:workspace_id/usage/:mode': 'viewer',
  'get /v1/workspaces/:workspace_id/units': 'viewer',
  'get /v1/workspaces/:workspace_id/billing/current': 'viewer',
  'get /v1/workspaces/:workspace_id/billing/statements': 'viewer',
  'get /v1/workspaces/:workspace_id/billing/statements/:statement_id': 'viewer',
  'get /v1/workspaces/:workspace_id/billing/statements/:statement_id/events': 'viewer',
  'post /v1/workspaces/:workspace_id/webhooks': 'admin',
  'get /v1/workspaces/:workspace_id/webhooks': 'viewer',
  'get /v1/workspaces/:workspace_id/webhooks/:webhook_id': 'viewer',
  'patch /v1/workspaces/:workspace_id/webhooks/:webhook_id': 'admin',
  'delete /v1/workspaces/:workspace_id/webhooks/:webhook_id': 'admin',
  'get /v1/workspaces/:workspace_id/webhooks/:webhook_id/deliveries': 'viewer',
  'post /v1/workspaces/:workspace_id/webhooks/:webhook_id/rotate-secret': 'admin',
  'post /v1/workspaces/:workspace_id/webhooks/:webhook_id/deliveries/:delivery_id/redeliver': 'admin',
  'post /v1/workspaces/:workspace_id/webhooks/:webhook_id/recover': 'admin',
  'get /v1/workspaces/:workspace_id/events': 'viewer',
  'get /v1/workspaces/:workspace_id/events/:event_id': 'viewer',
  'get /v1/workspaces/:workspace_id/events/export': 'viewer',
  'get /v1/workspaces/:workspace_id/events/:event_id/causation': 'viewer',
  'get /v1/workspaces/:workspace_id/streams/:stream_id/history': 'viewer',
  'get /v1/workspaces/:workspace_id/groups/:group_id/history': 'viewer',
  'get /v1/workspaces/:workspace_id/instances/:instance_id/history': 'viewer',
  'get /v1/workspaces/:workspace_id/clusters/:cluster_id/history': 'viewer',
  'get /v1/workspaces/:workspace_id/deploys/:deploy_id/history': 'viewer',
  'get /v1/workspaces/:workspace_id/webhooks/:webhook_id/history': 'viewer',
  'get /v1/workspaces/:workspace_id/audit/verify': 'viewer',
};

/**
 * What was appended since `head`, but an export's own record: reading the log out is recorded as
 * AuditExported (after the answer, by the system), which is no write of the caller's.
 */
async function writesSince(store: EventStore, head: bigint): Promise<string[]> {
  const written: string[] = [];
  for await (const event of store.readAll({ after: head })) if (event.type !== 'AuditExported') written.push(`${event.type} on ${event.streamId}`);
  return written;
}

const stricter = (a: Role, b: Role): Role => (roleAtLeast(a, b) ? a : b);
const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/**
 * Every workspace route, read off the live router so routes added later are swept too. Deleting
 * the workspace comes last: if a check were missing, it would take every other route's entities.
 */
function workspaceRoutes(t: TestApp) {
  const deletesWorkspace = (route: { method: string; path: string }) => route.method === 'delete' && route.path === '/v1/workspaces/:workspace_id';
  return registeredRoutes(t)
    .filter((route) => route.path.startsWith('/v1/workspaces/:workspace_id'))
    .sort((a, b) => Number(deletesWorkspace(a)) - Number(deletesWorkspace(b)));
}

/**
 * The role each served route needs, read from the guard metadata of the handler behind it (the
 * Express router only holds closures, so handlers are found through Nest's controllers and their
 * route metadata, and matched to the live routes by method and path).
 */
function rolesByRoute(t: TestApp): Map<string, Role> {
  const reflector = t.app.get(Reflector);
  const roles = new Map<string, Role>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        for (const base of paths(Reflect.getMetadata(PATH_METADATA, controller))) {
          for (const sub of paths(Reflect.getMetadata(PATH_METADATA, handler))) {
            const path = `/${[base, sub].join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
            roles.set(routeKey(RequestMethod[method].toLowerCase(), path), requiredRole(reflector, handler, controller));
          }
        }
      }
    }
  }
  return roles;
}

function paths(metadata: unknown): string[] {
  if (Array.isArray(metadata)) return metadata as string[];
  return [typeof metadata === 'string' ? metadata : ''];
}

type Call = (url: string) => request.Test;
const call = (t: TestApp, method: string): Call => (t.http as unknown as Record<string, Call>)[method].bind(t.http);

describe('Roles: every workspace route answers 403 to each role below the one it needs, and appends nothing', () => {
  let t: TestApp;
  let ws: Tenant;
  let members: Record<Exclude<Role, 'owner'>, { id: string; email: string; headers: { Authorization: string } }>;
  let auditor: { id: string; headers: { Authorization: string } };
  /** Real ids of this workspace for every path parameter, so a missing check would act on real entities. */
  let ids: Record<string, string>;
  /** A valid body (and query) per route, so that without the role check the request would succeed. */
  let bodies: Record<string, ValidRequest>;

  beforeAll(async () => {
    t = await startTestApp('role_sweep');
    ws = await tenant(t, 'roles');
    members = {
      admin: await memberOf(t, ws, 'admin'),
      member: await memberOf(t, ws, 'member'),
      viewer: await memberOf(t, ws, 'viewer'),
    };
    auditor = await memberOf(t, ws, 'auditor');
    const owner = ws.owner.headers;
    const cluster = (await t.http.post(`${ws.base}/clusters`).set(owner).send({ name: 'main', image_version: '1.0.0' }).expect(201)).body;
    const group = (await t.http.post(`${ws.base}/groups`).set(owner).send({ group_name: 'lobby' }).expect(201)).body;
    const stream = (await t.http.post(`${ws.base}/streams`).set(owner).send({ name: 'cam', data: { reference: 'file:///cam.mp4' }, event_handler: {} }).expect(201)).body;
    const invited = (await t.http.post(`${ws.base}/members`).set(owner).send({ email: `nobody.${Date.now()}@example.com`, role: 'viewer' }).expect(201)).body;
    // Disabled: it is only swept, never delivered to (a public address literal passes the URL check without DNS).
    const webhook = (await t.http.post(`${ws.base}/webhooks`).set(owner).send({ name: 'swept-hook', url: 'https://93.184.216.34/hook', is_enabled: false }).expect(201)).body;
    ids = {
      workspace_id: ws.workspaceId,
      cluster_id: cluster.id,
      // No real instance: it would start a media-node process, and the guard answers before the
      // instance is looked up anyway (a missing check would answer 404 here, which fails too).
      instance_id: randomUUID(),
      group_id: group.group_id,
      stream_id: stream.stream_id,
      invitation_id: invited.invitation_id,
      user_id: members.member.id,
      webhook_id: webhook.id,
      // Not an id: a version of the catalog, so a missing check would mark a real one.
      image_version: '1.0.0',
    };
    bodies = validRequests({ clusterId: cluster.id, streamId: stream.stream_id, groupName: 'lobby', memberId: members.admin.id });
  });
  afterAll(() => t.close());

  const userWith = (role: Role) => (role === 'owner' ? ws.owner : members[role]);

  it('knows the role of every served workspace route, and it is the contract’s', () => {
    const served = workspaceRoutes(t);
    const roles = rolesByRoute(t);
    expect(served.length).toBeGreaterThanOrEqual(Object.keys(CONTRACT_ROLES).length);
    const mismatches = served
      .map(({ method, path }) => ({ key: routeKey(method, path), code: roles.get(routeKey(method, path)), contract: CONTRACT_ROLES[routeKey(method, path)] }))
      .filter(({ code, contract }) => code === undefined || code !== contract)
      .map(({ key, code, contract }) => `${key}: code needs ${code ?? '(no handler found)'}, contract says ${contract ?? '(not in CONTRACT_ROLES: add it)'}`);
    expect(mismatches).toEqual([]);
  });

  it('lets a viewer write nothing: every POST/PUT/PATCH/DELETE needs at least member', () => {
    const roles = rolesByRoute(t);
    const open = workspaceRoutes(t)
      .filter(({ method }) => WRITES.has(method))
      .filter(({ method, path }) => !roleAtLeast(roles.get(routeKey(method, path)) ?? 'viewer', 'member'))
      .map(({ method, path }) => routeKey(method, path));
    expect(open).toEqual([]);
  });

  it('answers 403 problem+json to every role below the needed one, with a valid body, and the log does not move', async () => {
    const roles = rolesByRoute(t);
    const store = t.app.get<EventStore>(EVENT_STORE);
    const headBefore = await store.headPosition();
    const wrong: string[] = [];
    let refused = 0;
    for (const { method, path } of workspaceRoutes(t)) {
      const key = routeKey(method, path);
      // The stricter of the guard metadata and the contract: a lowered @RequireRole is then tried
      // live with the role it wrongly lets in (and fails here too, not only in the table check).
      const needed = stricter(roles.get(key) ?? 'viewer', CONTRACT_ROLES[key] ?? 'viewer');
      const url = path.replace(/:(\w+)/g, (_match, name: string) => ids[name] ?? randomUUID());
      for (const role of ROLES.filter((r) => !roleAtLeast(r, needed))) {
        const { body, query } = bodies[key] ?? {};
        const res = await call(t, method)(url).query(query ?? {}).set(userWith(role).headers).send(body ?? {});
        refused++;
        if (res.status !== 403 || !String(res.headers['content-type']).startsWith('application/problem+json') || res.body.status !== 403) {
          wrong.push(`${key} as ${role} (needs ${needed}) answered ${res.status} ${res.headers['content-type']}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // Every role below owner was tried on an owner route, so the sweep cannot pass vacuously.
    expect(refused).toBeGreaterThanOrEqual(40);
    expect(await writesSince(store, headBefore)).toEqual([]);
  });

  it('lets the needed role through the guard (any answer but 403), so the table is not stricter than the code', async () => {
    const roles = rolesByRoute(t);
    const store = t.app.get<EventStore>(EVENT_STORE);
    const headBefore = await store.headPosition();
    const wrong: string[] = [];
    for (const { method, path } of workspaceRoutes(t)) {
      const key = routeKey(method, path);
      const needed = roles.get(key) ?? 'viewer';
      // Random inner ids and an empty body: the guard's verdict shows, and nothing is written
      // (404 for the unknown entity, or 400 for the body). Deleting the workspace itself cannot be
      // made harmless that way, and owner is the top role anyway.
      if (needed === 'owner') continue;
      const url = path.replace(/:(\w+)/g, (_match, name: string) => (name === 'workspace_id' ? ws.workspaceId : randomUUID()));
      const res = await call(t, method)(url).set(userWith(needed).headers).send({});
      if (res.status === 403 || res.status >= 500) wrong.push(`${key} as ${needed} answered ${res.status}`);
    }
    expect(wrong).toEqual([]);
    expect(await writesSince(store, headBefore)).toEqual([]);
  });

  it('lets an auditor through every read (any answer but 403) and refuses it every write with 403, the log unmoved', async () => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const headBefore = await store.headPosition();
    const wrong: string[] = [];
    let reads = 0;
    let writes = 0;
    for (const { method, path } of workspaceRoutes(t)) {
      const key = routeKey(method, path);
      if (WRITES.has(method)) {
        // Real ids and a valid body, as in the sweep above: only the guard stands in the way.
        const url = path.replace(/:(\w+)/g, (_match, name: string) => ids[name] ?? randomUUID());
        const { body, query } = bodies[key] ?? {};
        const res = await call(t, method)(url).query(query ?? {}).set(auditor.headers).send(body ?? {});
        writes++;
        if (res.status !== 403 || !String(res.headers['content-type']).startsWith('application/problem+json')) wrong.push(`${key} as auditor answered ${res.status}`);
      } else {
        const url = path.replace(/:(\w+)/g, (_match, name: string) => ids[name] ?? randomUUID());
        const res = await call(t, method)(url).set(auditor.headers);
        reads++;
        if (res.status === 403 || res.status >= 500) wrong.push(`${key} as auditor answered ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(reads).toBeGreaterThanOrEqual(30);
    expect(writes).toBeGreaterThanOrEqual(30);
    expect(await writesSince(store, headBefore)).toEqual([]);
    // Reads that need more than viewer (invitations need admin) are an auditor's too.
    await t.http.get(`${ws.base}/invitations`).set(auditor.headers).expect(200);
  });
});
