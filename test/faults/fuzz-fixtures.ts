import { TestApp } from '../support/test-app';
import { verifiedUser } from '../support/users';
import { memberOf, tenant } from '../support/workspaces';
import { FuzzContext, SchemaObject } from './openapi-requests';
import { FuzzRequest } from './raw-http';

/** Creates one of everything a path can name, so path ids can be real, and says which id goes where. */
export async function realWorld(t: TestApp, schemas: Record<string, SchemaObject>): Promise<FuzzContext> {
  const ws = await tenant(t, 'fuzz');
  const owner = ws.owner.headers;
  const member = await memberOf(t, ws, 'member');
  const victim = await verifiedUser(t, 'victim');
  const created = async (path: string, body: object, field = 'id'): Promise<string> => {
    const res = await t.http.post(path).set(owner).send(body);
    if (res.status >= 300) throw new Error(`fixture ${path}: ${res.status} ${res.text}`);
    return res.body[field];
  };
  const token = await created('/v1/tokens', { name: 'fuzz' });
  await created(`${ws.base}/members`, { email: 'invitee@example.com', role: 'viewer' }, 'status');
  const invitation = (await t.http.get(`${ws.base}/invitations`).set(owner)).body[0].id as string;
  const limitRequest = await created(`${ws.base}/limit-requests`, { desired_limit: 6, reason: 'fuzz' });
  const stream = await created(`${ws.base}/streams`, { name: 'fuzz', data: { reference: 'file:///dev/null', type: 'videofile' }, event_handler: {} }, 'stream_id');
  const group = await created(`${ws.base}/groups`, { group_name: 'fuzz-group' }, 'group_id');
  const cluster = await created(`${ws.base}/clusters`, { name: 'edge', image_version: '1.0.0' });
  const instance = await created(`${ws.base}/instances`, { cluster_id: cluster });
  const counter = (await t.http.post('/v1/test/counters').send({ name: 'fuzz' })).body.id as string;
  const projection = (await t.http.get('/v1/admin/projections').set(t.admin)).body.items[0].name as string;

  const byName: Record<string, string[]> = {
    workspace_id: [ws.workspaceId],
    user_id: [member.id, ws.owner.id],
    invitation_id: [invitation],
    stream_id: [stream],
    group_id: [group],
    cluster_id: [cluster],
    instance_id: [instance],
    name: [projection],
  };
  // `{id}` means a different thing under each prefix.
  const byPrefix: Array<[string, string[]]> = [
    ['/v1/tokens/', [token]],
    ['/v1/admin/limit-requests/', [limitRequest]],
    ['/v1/test/counters/', [counter]],
  ];
  const uuids = [ws.workspaceId, member.id, ws.owner.id, victim.id, token, invitation, limitRequest, stream, group, cluster, instance, counter];
  return {
    schemas,
    uuids,
    pathValues: (path, name) => (name === 'id' ? (byPrefix.find(([prefix]) => path.startsWith(prefix))?.[1] ?? uuids) : (byName[name] ?? uuids)),
    known: {
      image_version: ['1.0.0', '1.1.0', '9.9.9'],
      machine_type: ['xsmall', 'small', 'huge'],
      location: ['eu_central', 'nowhere'],
      email: [member.email, victim.email, 'new@example.com', 'not-an-email'],
      statuses: ['pending', 'pending,pause', 'done,failure', 'bogus'],
      group_name: ['fuzz-group', 'missing'],
      names: ['fuzz', 'fuzz,other'],
    },
    authorization: { owner: owner.Authorization, admin: t.admin.Authorization, victim: victim.headers.Authorization },
  };
}

const raw = (text: string): FuzzRequest => ({ operation: 'malformed HTTP', method: '', path: '', headers: {}, raw: Buffer.from(text, 'latin1') });

/** Requests Node's HTTP parser refuses before any route sees them: they must still get a problem+json. */
export function malformedHttp(authorization: string): FuzzRequest[] {
  const base = { operation: 'oversized HTTP', method: 'GET', headers: { authorization } };
  return [
    { ...base, path: `/v1/version?q=${'a'.repeat(100_000)}`, headers: {} },
    { ...base, path: `/v1/workspaces/${'b'.repeat(40_000)}` },
    { ...base, path: '/v1/version', headers: { 'x-padding': 'c'.repeat(70_000) } },
    { ...base, path: '/v1/me', headers: { authorization: `Bearer ${'d'.repeat(70_000)}` } },
    raw('GET /v1/version HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
    raw('NONSENSE\r\n\r\n'),
    raw('GET /v1/version HTTP/9.9\r\nHost: x\r\n\r\n'),
    raw('POST /v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}'),
    raw('POST /v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}'),
    raw('POST /v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'),
    raw(`GET /v1/version HTTP/1.1\r\nHost: x\r\nX-Big: ${'e'.repeat(20_000)}\r\n\r\n`),
    raw('GET /v1/version\x00 HTTP/1.1\r\nHost: x\r\n\r\n'),
  ];
}
