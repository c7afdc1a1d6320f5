import { eventually, startTestApp, TestApp } from './support/test-app';
import { PASSWORD, verifiedUser, verifyByMail } from './support/users';
import { join } from './support/workspaces';

describe('Workspaces through HTTP: members, roles, invitations, ownership, limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('workspaces');
  });
  afterAll(() => t.close());

  async function workspaceOf(owner: { headers: { Authorization: string } }, name = 'Studio') {
    const res = await t.http.post('/v1/workspaces').set(owner.headers).send({ name, description: 'streams' });
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number };
  }

  it('creates a workspace owned by the caller and lists it with the role', async () => {
    const owner = await verifiedUser(t, 'owner');
    const res = await t.http.post('/v1/workspaces').set(owner.headers).send({ name: 'Studio', description: 'streams' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), name: 'Studio', description: 'streams', owner_id: owner.id, role: 'owner', instance_limit: 5, created_at: expect.any(String), version: 2 });
    const list = await t.http.get('/v1/workspaces').set(owner.headers);
    expect(list.body).toMatchObject({ items: [{ id: res.body.id, role: 'owner' }], page: 1, page_size: 20, total: 1 });
    const one = await t.http.get(`/v1/workspaces/${res.body.id}`).set(owner.headers);
    expect(one.body).toMatchObject({ id: res.body.id, name: 'Studio', role: 'owner', version: 2 });
    expect((await t.http.post('/v1/workspaces').set(owner.headers).send({ name: '' })).status).toBe(400);
  });

  it('patches as admin (version grows), 403 for a viewer, 400 for an empty patch', async () => {
    const owner = await verifiedUser(t, 'owner');
    const viewer = await verifiedUser(t, 'viewer');
    const ws = await workspaceOf(owner);
    await join(t, `/v1/workspaces/${ws.id}`, owner.headers, viewer, 'viewer');
    const patched = await t.http.patch(`/v1/workspaces/${ws.id}`).set(owner.headers).send({ name: 'Renamed' });
    expect(patched.status).toBe(200);
    // 2 at creation, +1 invited, +2 accepted (InvitationAccepted, MemberAdded), +1 renamed.
    expect(patched.body).toMatchObject({ name: 'Renamed', version: 6 });
    expect((await t.http.patch(`/v1/workspaces/${ws.id}`).set(viewer.headers).send({ name: 'Mine' })).status).toBe(403);
    expect((await t.http.get(`/v1/workspaces/${ws.id}`).set(viewer.headers)).body).toMatchObject({ name: 'Renamed', role: 'viewer' });
    expect((await t.http.patch(`/v1/workspaces/${ws.id}`).set(owner.headers).send({})).status).toBe(400);
  });

  it('invites an existing user, who joins on accepting; changes roles, removes members, and protects the owner', async () => {
    const owner = await verifiedUser(t, 'owner');
    const member = await verifiedUser(t, 'member');
    const ws = await workspaceOf(owner);
    const added = await t.http.post(`/v1/workspaces/${ws.id}/members`).set(owner.headers).send({ email: member.email, role: 'member' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ status: 'invited', invitation_id: expect.any(String), email: member.email, role: 'member' });
    expect((await t.http.post(`/v1/workspaces/${ws.id}/members`).set(owner.headers).send({ email: member.email, role: 'member' })).status).toBe(409);
    expect((await t.http.post(`/v1/workspaces/${ws.id}/members`).set(owner.headers).send({ email: member.email, role: 'owner' })).status).toBe(400);
    await t.http.post(`/v1/me/invitations/${added.body.invitation_id}/accept`).set(member.headers).expect(200);

    const members = await t.http.get(`/v1/workspaces/${ws.id}/members`).set(member.headers);
    expect(members.body).toEqual([
      { user_id: owner.id, email: owner.email, role: 'owner', joined_at: expect.any(String) },
      { user_id: member.id, email: member.email, role: 'member', joined_at: expect.any(String) },
    ]);
    expect((await t.http.post(`/v1/workspaces/${ws.id}/members`).set(member.headers).send({ email: 'x@example.com', role: 'viewer' })).status).toBe(403);

    expect((await t.http.patch(`/v1/workspaces/${ws.id}/members/${member.id}`).set(owner.headers).send({ role: 'admin' })).status).toBe(200);
    // The promotion shows in the workspace, in the member list and in what the member may now do.
    expect((await t.http.get(`/v1/workspaces/${ws.id}`).set(member.headers)).body).toMatchObject({ role: 'admin' });
    expect((await t.http.get(`/v1/workspaces/${ws.id}/members`).set(owner.headers)).body).toContainEqual({ user_id: member.id, email: member.email, role: 'admin', joined_at: expect.any(String) });
    const byAdmin = await t.http.post(`/v1/workspaces/${ws.id}/members`).set(member.headers).send({ email: `by-admin.${Date.now()}@example.com`, role: 'viewer' });
    expect(byAdmin.status).toBe(201);
    expect((await t.http.patch(`/v1/workspaces/${ws.id}/members/${owner.id}`).set(member.headers).send({ role: 'viewer' })).status).toBe(403);
    expect((await t.http.delete(`/v1/workspaces/${ws.id}/members/${owner.id}`).set(member.headers)).status).toBe(403);
    expect((await t.http.delete(`/v1/workspaces/${ws.id}/members/${member.id}`).set(owner.headers)).status).toBe(204);
    expect((await t.http.get(`/v1/workspaces/${ws.id}`).set(member.headers)).status).toBe(404);
  });

  it('invites an unknown email; the invitation is honoured when that email signs up and verifies', async () => {
    const owner = await verifiedUser(t, 'owner');
    const ws = await workspaceOf(owner, 'Invites');
    const email = `invitee.${Date.now()}@example.com`;
    const invited = await t.http.post(`/v1/workspaces/${ws.id}/members`).set(owner.headers).send({ email, role: 'viewer' });
    expect(invited.status).toBe(201);
    expect(invited.body).toEqual({ status: 'invited', invitation_id: expect.any(String), email, role: 'viewer' });
    const pending = await t.http.get(`/v1/workspaces/${ws.id}/invitations`).set(owner.headers);
    expect(pending.body).toEqual([{ id: invited.body.invitation_id, email, role: 'viewer', created_at: expect.any(String) }]);
    // The mail reactor sends it from the MemberInvited event, shortly after the answer.
    const mail = await eventually(async () => (await t.http.get('/v1/admin/mail').query({ to: email }).set(t.admin)).body.items[0]);
    expect(mail.subject).toContain('Invites');
    const { rows } = await t.db.pool.query(`SELECT data FROM events WHERE type = 'MemberInvited' AND data->>'invitation_id' = $1`, [invited.body.invitation_id]);
    expect(JSON.stringify(rows[0].data)).not.toContain(email);

    const signedUp = await t.http.post('/v1/auth/sign-up').send({ email, password: PASSWORD });
    await verifyByMail(t, email);
    await eventually(async () => {
      const members = await t.http.get(`/v1/workspaces/${ws.id}/members`).set(owner.headers);
      return members.body.some((m: { user_id: string; role: string }) => m.user_id === signedUp.body.id && m.role === 'viewer');
    });
    expect((await t.http.get(`/v1/workspaces/${ws.id}/invitations`).set(owner.headers)).body).toEqual([]);
  });

  it('cancels an invitation', async () => {
    const owner = await verifiedUser(t, 'owner');
    const ws = await workspaceOf(owner);
    const invited = await t.http.post(`/v1/workspaces/${ws.id}/members`).set(owner.headers).send({ email: `gone.${Date.now()}@example.com`, role: 'member' });
    expect((await t.http.delete(`/v1/workspaces/${ws.id}/invitations/${invited.body.invitation_id}`).set(owner.headers)).status).toBe(204);
    expect((await t.http.delete(`/v1/workspaces/${ws.id}/invitations/${invited.body.invitation_id}`).set(owner.headers)).status).toBe(404);
    expect((await t.http.get(`/v1/workspaces/${ws.id}/invitations`).set(owner.headers)).body).toEqual([]);
  });

  it('transfers ownership to a member; the old owner becomes admin; 400 for a non-member', async () => {
    const owner = await verifiedUser(t, 'owner');
    const next = await verifiedUser(t, 'next');
    const stranger = await verifiedUser(t, 'stranger');
    const ws = await workspaceOf(owner);
    await join(t, `/v1/workspaces/${ws.id}`, owner.headers, next, 'member');
    expect((await t.http.post(`/v1/workspaces/${ws.id}/transfer-ownership`).set(owner.headers).send({ user_id: stranger.id })).status).toBe(400);
    expect((await t.http.post(`/v1/workspaces/${ws.id}/transfer-ownership`).set(next.headers).send({ user_id: next.id })).status).toBe(403);
    const res = await t.http.post(`/v1/workspaces/${ws.id}/transfer-ownership`).set(owner.headers).send({ user_id: next.id });
    expect(res.status).toBe(200);
    expect((await t.http.get(`/v1/workspaces/${ws.id}`).set(owner.headers)).body).toMatchObject({ owner_id: next.id, role: 'admin' });
    expect((await t.http.get(`/v1/workspaces/${ws.id}`).set(next.headers)).body).toMatchObject({ role: 'owner' });
  });

  it('asks for another instance limit; a platform admin approves or rejects', async () => {
    const owner = await verifiedUser(t, 'owner');
    const ws = await workspaceOf(owner);
    const asked = await t.http.post(`/v1/workspaces/${ws.id}/limit-requests`).set(owner.headers).send({ desired_limit: 20, reason: 'launch week' });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ desired_limit: 20, status: 'pending' });
    expect((await t.http.post(`/v1/admin/limit-requests/${asked.body.id}/approve`).set(owner.headers)).status).toBe(403);
    expect((await t.http.post(`/v1/admin/limit-requests/${asked.body.id}/approve`).set(t.admin)).status).toBe(200);
    expect((await t.http.post(`/v1/admin/limit-requests/${asked.body.id}/reject`).set(t.admin)).status).toBe(400);
    expect((await t.http.get(`/v1/workspaces/${ws.id}`).set(owner.headers)).body.instance_limit).toBe(20);
    const list = await t.http.get(`/v1/workspaces/${ws.id}/limit-requests`).set(owner.headers);
    expect(list.body).toMatchObject([{ id: asked.body.id, status: 'approved' }]);
    expect((await t.http.post('/v1/admin/limit-requests/7d9f0e1c-1111-4222-8333-944455556666/approve').set(t.admin)).status).toBe(404);

    // A rejection answers rejected, leaves the limit as it was, and cannot be approved after.
    const second = await t.http.post(`/v1/workspaces/${ws.id}/limit-requests`).set(owner.headers).send({ desired_limit: 50, reason: 'more' });
    expect(second.status).toBe(201);
    expect((await t.http.post(`/v1/admin/limit-requests/${second.body.id}/reject`).set(owner.headers)).status).toBe(403);
    const rejected = await t.http.post(`/v1/admin/limit-requests/${second.body.id}/reject`).set(t.admin);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toEqual({ id: second.body.id, status: 'rejected' });
    expect((await t.http.post(`/v1/admin/limit-requests/${second.body.id}/approve`).set(t.admin)).status).toBe(400);
    expect((await t.http.get(`/v1/workspaces/${ws.id}`).set(owner.headers)).body.instance_limit).toBe(20);
    expect((await t.http.get(`/v1/workspaces/${ws.id}/limit-requests`).set(owner.headers)).body).toMatchObject([
      { id: asked.body.id, status: 'approved' },
      { id: second.body.id, desired_limit: 50, status: 'rejected', decided_at: expect.any(String) },
    ]);
  });

  it('deletes a workspace (owner only); then it answers 404', async () => {
    const owner = await verifiedUser(t, 'owner');
    const admin = await verifiedUser(t, 'admin');
    const ws = await workspaceOf(owner);
    await join(t, `/v1/workspaces/${ws.id}`, owner.headers, admin, 'admin');
    expect((await t.http.delete(`/v1/workspaces/${ws.id}`).set(admin.headers)).status).toBe(403);
    expect((await t.http.delete(`/v1/workspaces/${ws.id}`).set(owner.headers)).status).toBe(204);
    expect((await t.http.get(`/v1/workspaces/${ws.id}`).set(owner.headers)).status).toBe(404);
    expect((await t.http.get('/v1/workspaces').set(owner.headers)).body.total).toBe(0);
  });

  it('binds an API token to one workspace: it sees that one only', async () => {
    const owner = await verifiedUser(t, 'owner');
    const a = await workspaceOf(owner, 'A');
    const b = await workspaceOf(owner, 'B');
    const token = await t.http.post('/v1/tokens').set(owner.headers).send({ name: 'a only', workspace_id: a.id });
    expect(token.status).toBe(201);
    const bound = { Authorization: `Bearer ${token.body.token}` };
    expect((await t.http.get(`/v1/workspaces/${a.id}`).set(bound)).status).toBe(200);
    expect((await t.http.get(`/v1/workspaces/${b.id}`).set(bound)).status).toBe(404);
    expect((await t.http.get('/v1/workspaces').set(bound)).body.items.map((w: { id: string }) => w.id)).toEqual([a.id]);
    const stranger = await verifiedUser(t, 'stranger');
    expect((await t.http.post('/v1/tokens').set(stranger.headers).send({ name: 'x', workspace_id: a.id })).status).toBe(404);
  });
});
