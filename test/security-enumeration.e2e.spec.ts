import { eventually, startTestApp, TestApp } from './support/test-app';
import { verifiedUser } from './support/users';
import { tenant } from './support/workspaces';

/** Issue 9, item 7: no answer (body, headers or work done) tells whether an email has an account. */
describe('Account enumeration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('enumeration');
  });
  afterAll(() => t.close());

  const verifications = async () => {
    const text = (await t.http.get('/metrics').set(t.admin)).text;
    return Number(/^streamplane_password_verifications_total (\d+)/m.exec(text)?.[1] ?? NaN);
  };
  /** Header names an answer carries, without those that differ on every answer. */
  const headerNames = (headers: Record<string, string>) =>
    Object.keys(headers)
      .filter((h) => !['date', 'x-request-id', 'content-length', 'etag'].includes(h) && !h.startsWith('x-ratelimit'))
      .sort();

  it('sign-in does the same argon2 work and answers the same for an unknown email as for a wrong password', async () => {
    const user = await verifiedUser(t, 'known');
    const before = await verifications();
    const known = await t.http.post('/v1/auth/sign-in').send({ email: user.email, password: 'wrong password!' });
    const afterKnown = await verifications();
    const unknown = await t.http.post('/v1/auth/sign-in').send({ email: `nobody.${Date.now()}@example.com`, password: 'wrong password!' });
    const afterUnknown = await verifications();
    expect(afterKnown - before).toBe(1);
    expect(afterUnknown - afterKnown).toBe(1);
    expect([known.status, unknown.status]).toEqual([401, 401]);
    expect(unknown.body).toEqual(known.body);
  });

  it('reset-password answers identically and does the account work off the request path', async () => {
    const user = await verifiedUser(t, 'resetter');
    const known = await t.http.post('/v1/auth/reset-password').send({ email: user.email });
    const unknown = await t.http.post('/v1/auth/reset-password').send({ email: `nobody.${Date.now()}@example.com` });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(unknown.body).toEqual(known.body);
    // Writing the account's event in the request showed in the answer (X-Event-Position) and its time.
    expect(headerNames(known.headers)).toEqual(headerNames(unknown.headers));
    expect(known.headers['x-event-position']).toBeUndefined();
    // The mail still comes, from the worker.
    await eventually(async () => (await t.http.get('/v1/admin/mail').query({ to: user.email }).set(t.admin)).body.items?.find((m: { subject: string }) => /reset/i.test(m.subject)));
  });

  it('adding a member answers the same shape for an existing account and an unknown email; the account joins only by accepting', async () => {
    const ws = await tenant(t, 'inviter');
    const existing = await verifiedUser(t, 'existing');
    const toExisting = await t.http.post(`${ws.base}/members`).set(ws.owner.headers).send({ email: existing.email, role: 'member' });
    const toUnknown = await t.http.post(`${ws.base}/members`).set(ws.owner.headers).send({ email: `nobody.${Date.now()}@example.com`, role: 'member' });
    expect([toExisting.status, toUnknown.status]).toEqual([201, 201]);
    expect(toExisting.body).toEqual({ status: 'invited', invitation_id: expect.any(String), email: existing.email, role: 'member' });
    expect(Object.keys(toExisting.body).sort()).toEqual(Object.keys(toUnknown.body).sort());
    // Not a member without consent.
    expect((await t.http.get(ws.base).set(existing.headers)).status).toBe(404);
    const inbox = await t.http.get('/v1/me/invitations').set(existing.headers);
    expect(inbox.body).toEqual([{ id: toExisting.body.invitation_id, workspace_id: ws.workspaceId, workspace_name: 'inviter workspace', role: 'member', created_at: expect.any(String) }]);
    // Someone else cannot accept it.
    const other = await verifiedUser(t, 'other');
    expect((await t.http.post(`/v1/me/invitations/${toExisting.body.invitation_id}/accept`).set(other.headers)).status).toBe(404);
    const accepted = await t.http.post(`/v1/me/invitations/${toExisting.body.invitation_id}/accept`).set(existing.headers);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ workspace_id: ws.workspaceId, role: 'member' });
    expect((await t.http.get(ws.base).set(existing.headers)).body).toMatchObject({ id: ws.workspaceId, role: 'member' });
    expect((await t.http.get('/v1/me/invitations').set(existing.headers)).body).toEqual([]);
  });
});
