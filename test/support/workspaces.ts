import type { AssignableRole } from '@streamplane/identity';
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

/** Another user with `role` in the tenant's workspace (invited, and accepting). */
export async function memberOf(t: TestApp, tenantOf: Tenant, role: AssignableRole) {
  const user = await verifiedUser(t, role);
  await join(t, tenantOf.base, tenantOf.owner.headers, user, role);
  return user;
}

/** Invites `user` into the workspace at `base` and accepts as that user: existing accounts join only by consent. */
export async function join(t: TestApp, base: string, inviter: { Authorization: string }, user: { email: string; headers: { Authorization: string } }, role: AssignableRole) {
  const res = await t.http.post(`${base}/members`).set(inviter).send({ email: user.email, role });
  if (res.status !== 201) throw new Error(`could not invite a ${role}: ${res.status} ${res.text}`);
  const accepted = await t.http.post(`/v1/me/invitations/${res.body.invitation_id}/accept`).set(user.headers);
  if (accepted.status !== 200) throw new Error(`could not accept as ${role}: ${accepted.status} ${accepted.text}`);
}
