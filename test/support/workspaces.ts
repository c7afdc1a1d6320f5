import { TestApp } from './test-app';
import { verifiedUser } from './users';

export interface Tenant {
  owner: { id: string; email: string; headers: { Authorization: string } };
  workspaceId: string;
  /** `/v1/workspaces/<id>` */
  base: string;
}

/** A verified user who owns a fresh workspace. */
export async function tenant(t: TestApp, label = 'tenant'): Promise<Tenant> {
  const owner = await verifiedUser(t, label);
  const res = await t.http.post('/v1/workspaces').set(owner.headers).send({ name: `${label} workspace` });
  if (res.status !== 201) throw new Error(`could not create a workspace: ${res.status} ${res.text}`);
  return { owner, workspaceId: res.body.id, base: `/v1/workspaces/${res.body.id}` };
}

/** Another user with `role` in the tenant's workspace. */
export async function memberOf(t: TestApp, tenantOf: Tenant, role: 'admin' | 'member' | 'viewer') {
  const user = await verifiedUser(t, role);
  const res = await t.http.post(`${tenantOf.base}/members`).set(tenantOf.owner.headers).send({ email: user.email, role });
  if (res.status !== 201) throw new Error(`could not add a ${role}: ${res.status} ${res.text}`);
  return user;
}
