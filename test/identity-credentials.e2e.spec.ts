import { eventually, signIn, startTestApp, TestApp } from './support/test-app';
import { PASSWORD, verifiedUser } from './support/users';
import { join } from './support/workspaces';

/** Password guessing, what a password change or reset revokes, and what an API token may not do. */
describe('Identity through HTTP: credentials and what each token may do', () => {
  let t: TestApp;
  let seq = 0;
  beforeAll(async () => {
    t = await startTestApp('identity_credentials');
  });
  afterAll(() => t.close());

  const newEmail = () => `cred${++seq}.${Date.now()}@example.com`;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function mailsTo(email: string, subject: RegExp, count: number): Promise<Array<{ body: string }>> {
    return eventually(async () => {
      const items: Array<{ subject: string; body: string }> = (await t.http.get('/v1/admin/mail').query({ to: email }).set(t.admin)).body.items ?? [];
      const matching = items.filter((m) => subject.test(m.subject));
      return matching.length >= count && matching;
    });
  }
  const resetTokenIn = (body: string) => /(sp_reset_[A-Za-z0-9_-]+)/.exec(body)![1];

  describe('resend-verification shares the sign-in limiter', () => {
    it('counts its wrong passwords as failed sign-ins: this address is slowed and then gets 429 for the right password', async () => {
      const email = newEmail();
      await t.http.post('/v1/auth/sign-up').send({ email, password: PASSWORD }).expect(201);
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await t.http.post('/v1/auth/resend-verification').send({ email, password: `wrong guess ${i}!` })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      expect((await t.http.post('/v1/auth/resend-verification').send({ email, password: PASSWORD })).status).toBe(429);
      expect((await t.http.post('/v1/auth/sign-in').send({ email, password: PASSWORD })).status).toBe(429);
    });

    it('answers 429 whatever the password once failed sign-ins from this address slowed the account', async () => {
      const { email } = await verifiedUser(t, 'locked');
      for (let i = 0; i < 5; i++) expect((await t.http.post('/v1/auth/sign-in').send({ email, password: 'wrong password!' })).status).toBe(401);
      const wrong = await t.http.post('/v1/auth/resend-verification').send({ email, password: 'wrong password!' });
      const right = await t.http.post('/v1/auth/resend-verification').send({ email, password: PASSWORD });
      expect([wrong.status, right.status]).toEqual([429, 429]);
      expect(right.headers['content-type']).toMatch(/application\/problem\+json/);
    });
  });

  describe('a password change or reset ends every other credential', () => {
    it('a change revokes the API tokens and other sessions, keeps the session that made it', async () => {
      const user = await verifiedUser(t, 'changer');
      const otherSession = await signIn(t.http, { email: user.email, password: PASSWORD });
      const created = await t.http.post('/v1/tokens').set(user.headers).send({ name: 'ci' }).expect(201);
      const api = bearer(created.body.token);
      expect((await t.http.get('/v1/workspaces').set(api)).status).toBe(200);

      await t.http.put('/v1/me/password').set(user.headers).send({ old_password: PASSWORD, new_password: 'a brand new password' }).expect(200);
      expect((await t.http.get('/v1/workspaces').set(api)).status).toBe(401);
      expect((await t.http.get('/v1/me').set(otherSession)).status).toBe(401);
      expect((await t.http.get('/v1/me').set(user.headers)).status).toBe(200);
      expect((await t.http.get('/v1/tokens').set(user.headers)).body).toEqual([]);
      // Auditors see the revocation in the log, next to the password change.
      const { rows } = await t.db.pool.query(`SELECT type, data FROM events WHERE stream_id = $1 AND type IN ('PasswordChanged', 'ApiTokenRevoked') ORDER BY revision`, [`user-${user.id}`]);
      expect(rows.map((r) => [r.type, r.data.token_id])).toEqual([['PasswordChanged', undefined], ['ApiTokenRevoked', created.body.id]]);
    });

    it('a reset revokes the API tokens too, and using one reset token voids the others', async () => {
      const user = await verifiedUser(t, 'resetter');
      const created = await t.http.post('/v1/tokens').set(user.headers).send({ name: 'ci' }).expect(201);
      await t.http.post('/v1/auth/reset-password').send({ email: user.email }).expect(202);
      await t.http.post('/v1/auth/reset-password').send({ email: user.email }).expect(202);
      const [newer, older] = (await mailsTo(user.email, /reset/i, 2)).map((m) => resetTokenIn(m.body));
      expect(newer).not.toBe(older);

      await t.http.post('/v1/auth/reset-password/confirm').send({ user_id: user.id, token: older, password: 'reset password one' }).expect(200);
      expect((await t.http.get('/v1/workspaces').set(bearer(created.body.token))).status).toBe(401);
      expect((await t.http.get('/v1/me').set(user.headers)).status).toBe(401);
      const second = await t.http.post('/v1/auth/reset-password/confirm').send({ user_id: user.id, token: newer, password: 'reset password two' });
      expect(second.status).toBe(403);
      expect((await t.http.post('/v1/auth/sign-in').send({ email: user.email, password: 'reset password one' })).status).toBe(200);
    });
  });

  describe('session-only routes', () => {
    it('an API token, bound or not, gets 403 problem+json on the account, its tokens and workspace creation', async () => {
      const owner = await verifiedUser(t, 'owner');
      const ws = (await t.http.post('/v1/workspaces').set(owner.headers).send({ name: 'Bound' }).expect(201)).body;
      const bound = (await t.http.post('/v1/tokens').set(owner.headers).send({ name: 'bound', workspace_id: ws.id }).expect(201)).body;
      const unbound = (await t.http.post('/v1/tokens').set(owner.headers).send({ name: 'unbound' }).expect(201)).body;

      for (const token of [bound, unbound]) {
        const api = bearer(token.token);
        const other = token === bound ? unbound : bound;
        const attempts: Array<[string, () => Promise<{ status: number; headers: Record<string, string>; body: { detail?: string } }>]> = [
          ['GET /v1/me', () => t.http.get('/v1/me').set(api)],
          ['PUT /v1/me/password', () => t.http.put('/v1/me/password').set(api).send({ old_password: PASSWORD, new_password: 'taken over account' })],
          ['DELETE /v1/me', () => t.http.delete('/v1/me').set(api)],
          ['GET /v1/tokens', () => t.http.get('/v1/tokens').set(api)],
          ['POST /v1/tokens', () => t.http.post('/v1/tokens').set(api).send({ name: 'more' })],
          ['DELETE /v1/tokens/{id}', () => t.http.delete(`/v1/tokens/${other.id}`).set(api)],
          ['POST /v1/workspaces', () => t.http.post('/v1/workspaces').set(api).send({ name: 'Elsewhere' })],
        ];
        for (const [route, attempt] of attempts) {
          const res = await attempt();
          expect([route, res.status]).toEqual([route, 403]);
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
          expect(res.body.detail).toMatch(/session token/);
        }
        // The token still works where it is meant to.
        expect((await t.http.get(`/v1/workspaces/${ws.id}`).set(api)).status).toBe(200);
      }
      expect((await t.http.get('/v1/me').set(owner.headers)).status).toBe(200);
      expect((await t.http.get('/v1/tokens').set(owner.headers)).body.map((x: { id: string }) => x.id).sort()).toEqual([bound.id, unbound.id].sort());
      expect((await t.http.get('/v1/workspaces').set(owner.headers)).body.total).toBe(1);
      expect((await t.http.post('/v1/auth/sign-in').send({ email: owner.email, password: PASSWORD })).status).toBe(200);
    });
  });

  describe('deleting an account that owns workspaces', () => {
    it('is refused with 400 naming the workspaces until their ownership moves; then it goes through', async () => {
      const owner = await verifiedUser(t, 'leaving');
      const heir = await verifiedUser(t, 'heir');
      const ws = (await t.http.post('/v1/workspaces').set(owner.headers).send({ name: 'Studio Left Behind' }).expect(201)).body;
      await join(t, `/v1/workspaces/${ws.id}`, owner.headers, heir, 'admin');

      const refused = await t.http.delete('/v1/me').set(owner.headers);
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body.detail).toContain('Studio Left Behind');
      expect(refused.body.detail).toContain(ws.id);
      expect((await t.http.get('/v1/me').set(owner.headers)).status).toBe(200);

      await t.http.post(`/v1/workspaces/${ws.id}/transfer-ownership`).set(owner.headers).send({ user_id: heir.id }).expect(200);
      expect((await t.http.delete('/v1/me').set(owner.headers)).status).toBe(204);
      expect((await t.http.get(`/v1/workspaces/${ws.id}`).set(heir.headers)).body).toMatchObject({ owner_id: heir.id, role: 'owner' });
    });
  });
});
