import { CLOCK, Clock } from '@streamplane/core';
import { startTestApp, TestApp, TEST_ADMIN, signIn, eventually } from './support/test-app';

describe('Identity through HTTP: accounts, sessions, tokens, mail, admins', () => {
  let t: TestApp;
  let seq = 0;
  beforeAll(async () => {
    t = await startTestApp('identity');
  });
  afterAll(() => t.close());

  const newEmail = () => `user${++seq}.${Date.now()}@example.com`;
  const password = 'correct horse battery';

  /** The newest mail to an address, as the outbox holds it (read as the platform admin). */
  async function lastMail(to: string): Promise<{ subject: string; body: string }> {
    return eventually(async () => {
      const res = await t.http.get('/v1/admin/mail').query({ to }).set(t.admin);
      return res.body.items?.[0];
    });
  }
  const tokenIn = (body: string) => /(sp_(verify|reset)_[A-Za-z0-9_-]+)/.exec(body)![1];

  async function verifiedUser() {
    const email = newEmail();
    const created = await t.http.post('/v1/auth/sign-up').send({ email, password });
    await t.http.post('/v1/auth/verify').send({ verification_token: tokenIn((await lastMail(email)).body) }).expect(200);
    const headers = await signIn(t.http, { email, password });
    return { email, id: created.body.id as string, headers };
  }

  describe('sign-up and verification', () => {
    it('creates an unverified user, mails a token, and verifies with it once', async () => {
      const email = newEmail();
      const res = await t.http.post('/v1/auth/sign-up').send({ email, password });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), email, verified: false, created_at: expect.any(String), is_platform_admin: false });

      const notYet = await t.http.post('/v1/auth/sign-in').send({ email, password });
      expect(notYet.status).toBe(403);

      const mail = await lastMail(email);
      expect(mail.subject).toMatch(/verify/i);
      const token = tokenIn(mail.body);
      expect((await t.http.post('/v1/auth/verify').send({ verification_token: token })).status).toBe(200);
      expect((await t.http.post('/v1/auth/verify').send({ verification_token: token })).status).toBe(401);
      expect((await t.http.post('/v1/auth/verify').send({ verification_token: 'sp_verify_nonsense' })).status).toBe(401);
      expect((await t.http.post('/v1/auth/sign-in').send({ email, password })).status).toBe(200);
    });

    it('answers 409 for a taken email, whatever its case', async () => {
      const email = newEmail();
      await t.http.post('/v1/auth/sign-up').send({ email, password }).expect(201);
      const again = await t.http.post('/v1/auth/sign-up').send({ email: email.toUpperCase(), password });
      expect(again.status).toBe(409);
    });

    it('answers 400 naming the field for a bad email or a short password', async () => {
      const res = await t.http.post('/v1/auth/sign-up').send({ email: 'nope', password: 'short' });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'password']);
    });

    it('resends a verification mail, 409 once verified, 429 when asked too often', async () => {
      const email = newEmail();
      await t.http.post('/v1/auth/sign-up').send({ email, password }).expect(201);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await t.http.post('/v1/auth/resend-verification').send({ email, password })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await t.http.post('/v1/auth/resend-verification').send({ email, password });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      const verified = await verifiedUser();
      expect((await t.http.post('/v1/auth/resend-verification').send({ email: verified.email, password })).status).toBe(409);
    });
  });

  describe('sessions', () => {
    it('signs in with a token and the user, and signs out', async () => {
      const { email, headers } = await verifiedUser();
      const me = await t.http.get('/v1/me').set(headers);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email, verified: true, is_platform_admin: false });
      expect((await t.http.post('/v1/auth/sign-out').set(headers)).status).toBe(204);
      expect((await t.http.get('/v1/me').set(headers)).status).toBe(401);
    });

    it('answers 401 for wrong credentials or tokens, 400 for a missing field', async () => {
      const { email } = await verifiedUser();
      expect((await t.http.post('/v1/auth/sign-in').send({ email, password: 'wrong password!' })).status).toBe(401);
      expect((await t.http.post('/v1/auth/sign-in').send({ email: 'nobody@example.com', password })).status).toBe(401);
      const missing = await t.http.post('/v1/auth/sign-in').send({ email });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0].field).toBe('password');
      expect((await t.http.get('/v1/me')).status).toBe(401);
      expect((await t.http.get('/v1/me').set('Authorization', 'Bearer sp_session_forged')).status).toBe(401);
    });

    it('slows failed sign-ins per account and address with 429', async () => {
      const { email } = await verifiedUser();
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await t.http.post('/v1/auth/sign-in').send({ email, password: 'wrong password!' })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      // From this address even the right password waits out the delay (other addresses do not: security-guessing).
      expect((await t.http.post('/v1/auth/sign-in').send({ email, password })).status).toBe(429);
    });
  });

  describe('session expiry', () => {
    it('a session lasts 30 days from its sign-in, by the injected clock, and answers 401 after', async () => {
      const { email } = await verifiedUser();
      const clock = t.app.get<Clock>(CLOCK);
      const thirtyDays = 30 * 24 * 3600 * 1000;
      // Signed in (by the clock) 30 days less 3 seconds ago: 3 seconds of the session are left.
      const signedInAt = new Date(Date.now() - thirtyDays + 3_000);
      const spy = jest.spyOn(clock, 'now').mockReturnValue(signedInAt);
      let session: { Authorization: string };
      try {
        const res = await t.http.post('/v1/auth/sign-in').send({ email, password });
        expect(res.status).toBe(200);
        session = { Authorization: `Bearer ${res.body.token}` };
      } finally {
        spy.mockRestore();
      }
      expect((await t.http.get('/v1/me').set(session)).status).toBe(200);
      const refused = await eventually(async () => {
        const res = await t.http.get('/v1/me').set(session);
        return res.status === 401 ? Date.now() : undefined;
      }, 15_000);
      expect(refused).toBeGreaterThanOrEqual(signedInAt.getTime() + thirtyDays);
    });
  });

  describe('passwords', () => {
    it('changes the password: 403 for a wrong old one, other sessions end, this one stays', async () => {
      const { email, headers } = await verifiedUser();
      const other = await signIn(t.http, { email, password });
      expect((await t.http.put('/v1/me/password').set(headers).send({ old_password: 'not it at all', new_password: 'a brand new password' })).status).toBe(403);
      expect((await t.http.put('/v1/me/password').set(headers).send({ old_password: password, new_password: 'a brand new password' })).status).toBe(200);
      expect((await t.http.get('/v1/me').set(headers)).status).toBe(200);
      expect((await t.http.get('/v1/me').set(other)).status).toBe(401);
      expect((await t.http.post('/v1/auth/sign-in').send({ email, password: 'a brand new password' })).status).toBe(200);
    });

    it('resets a forgotten password by mail; 202 for unknown emails too; 403 for a bad token', async () => {
      const { email, id, headers } = await verifiedUser();
      expect((await t.http.post('/v1/auth/reset-password').send({ email: 'nobody.at.all@example.com' })).status).toBe(202);
      expect((await t.http.post('/v1/auth/reset-password').send({ email })).status).toBe(202);
      const mail = await eventually(async () => {
        const m = await lastMail(email);
        return /reset/i.test(m.subject) && m;
      });
      const bad = await t.http.post('/v1/auth/reset-password/confirm').send({ user_id: id, token: 'sp_reset_wrong', password: 'reset password 123' });
      expect(bad.status).toBe(403);
      const ok = await t.http.post('/v1/auth/reset-password/confirm').send({ user_id: id, token: tokenIn(mail.body), password: 'reset password 123' });
      expect(ok.status).toBe(200);
      expect((await t.http.get('/v1/me').set(headers)).status).toBe(401);
      expect((await t.http.post('/v1/auth/sign-in').send({ email, password: 'reset password 123' })).status).toBe(200);
    });

    it('refuses a reset token used once already (403), leaving the password it set', async () => {
      const { email, id } = await verifiedUser();
      await t.http.post('/v1/auth/reset-password').send({ email }).expect(202);
      const mail = await eventually(async () => {
        const m = await lastMail(email);
        return /reset/i.test(m.subject) && m;
      });
      const token = tokenIn(mail.body);
      await t.http.post('/v1/auth/reset-password/confirm').send({ user_id: id, token, password: 'first reset 123' }).expect(200);
      const reused = await t.http.post('/v1/auth/reset-password/confirm').send({ user_id: id, token, password: 'second reset 456' });
      expect(reused.status).toBe(403);
      expect(reused.body.detail).toBe('the reset token is invalid or expired');
      expect((await t.http.post('/v1/auth/sign-in').send({ email, password: 'first reset 123' })).status).toBe(200);
      expect((await t.http.post('/v1/auth/sign-in').send({ email, password: 'second reset 456' })).status).toBe(401);
    });
  });

  describe('API tokens', () => {
    it('creates a token shown once, lists it without the secret, authenticates with it, revokes it', async () => {
      const { headers } = await verifiedUser();
      const created = await t.http.post('/v1/tokens').set(headers).send({ name: 'ci' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(String), name: 'ci', token: expect.stringMatching(/^sp_api_/) });
      const api = { Authorization: `Bearer ${created.body.token}` };
      expect((await t.http.get('/v1/workspaces').set(api)).status).toBe(200);
      expect((await t.http.post('/v1/tokens').set(api).send({ name: 'from a token' })).status).toBe(403);

      const list = await t.http.get('/v1/tokens').set(headers);
      expect(list.body).toEqual([{ id: created.body.id, name: 'ci', workspace_id: null, created_at: expect.any(String), last_used_at: expect.any(String), expires_at: null }]);
      expect(JSON.stringify(list.body)).not.toContain(created.body.token);

      expect((await t.http.delete(`/v1/tokens/${created.body.id}`).set(headers)).status).toBe(204);
      expect((await t.http.get('/v1/workspaces').set(api)).status).toBe(401);
      expect((await t.http.delete(`/v1/tokens/${created.body.id}`).set(headers)).status).toBe(404);
    });

    it('an API token with expires_at authenticates until then and answers 401 after, cached or not', async () => {
      const { headers } = await verifiedUser();
      const expiresAt = new Date(Date.now() + 3_000);
      const created = await t.http.post('/v1/tokens').set(headers).send({ name: 'short', expires_at: expiresAt.toISOString() });
      expect(created.status).toBe(201);
      const api = { Authorization: `Bearer ${created.body.token}` };
      // Used (and so cached) while it is valid…
      expect((await t.http.get('/v1/workspaces').set(api)).status).toBe(200);
      expect(Date.now()).toBeLessThan(expiresAt.getTime());
      // …and refused once its time has passed, though the cache still holds it.
      const refused = await eventually(async () => {
        const res = await t.http.get('/v1/workspaces').set(api);
        return res.status === 401 ? { res, at: Date.now() } : undefined;
      }, 15_000);
      expect(refused.at).toBeGreaterThanOrEqual(expiresAt.getTime());
      expect(refused.res.body).toMatchObject({ status: 401, code: 'unauthorized', detail: 'the token is invalid, expired or revoked' });
      expect((await t.http.get('/v1/tokens').set(headers)).body).toEqual([expect.objectContaining({ id: created.body.id, expires_at: expiresAt.toISOString() })]);
    });

    it("answers 404 for another user's token and 400 for a past expiry", async () => {
      const a = await verifiedUser();
      const b = await verifiedUser();
      const created = await t.http.post('/v1/tokens').set(a.headers).send({ name: 'mine' });
      expect((await t.http.delete(`/v1/tokens/${created.body.id}`).set(b.headers)).status).toBe(404);
      const past = await t.http.post('/v1/tokens').set(a.headers).send({ name: 'old', expires_at: '2001-01-01T00:00:00Z' });
      expect(past.status).toBe(400);
      expect(past.body.errors).toEqual([{ field: 'expires_at', message: 'must be in the future' }]);
    });

    it('stores only hashes: no token secret is in the log or the token table', async () => {
      const { headers } = await verifiedUser();
      const created = await t.http.post('/v1/tokens').set(headers).send({ name: 'secret check' });
      const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM events WHERE data::text LIKE $1 OR metadata::text LIKE $1`, [`%${created.body.token}%`]);
      expect(rows[0].n).toBe(0);
      const stored = await t.db.pool.query(`SELECT count(*)::int AS n FROM auth_tokens WHERE token_hash::text LIKE $1`, [`%${created.body.token}%`]);
      expect(stored.rows[0].n).toBe(0);
    });
  });

  describe('deleting an account', () => {
    it('ends access, makes the personal data unreadable everywhere, keeps the history, frees the email', async () => {
      const { email, id, headers } = await verifiedUser();
      expect((await t.http.delete('/v1/me').set(headers)).status).toBe(204);
      expect((await t.http.get('/v1/me').set(headers)).status).toBe(401);
      expect((await t.http.post('/v1/auth/sign-in').send({ email, password })).status).toBe(401);

      const { rows } = await t.db.pool.query(`SELECT type, data FROM events WHERE stream_id = $1 ORDER BY revision`, [`user-${id}`]);
      expect(rows.map((r) => r.type)).toEqual(expect.arrayContaining(['UserRegistered', 'UserVerified', 'UserDeleted']));
      expect(JSON.stringify(rows)).not.toContain(email);
      expect((await t.db.pool.query('SELECT 1 FROM user_keys WHERE user_id = $1', [id])).rowCount).toBe(0);
      const projected = await t.db.pool.query('SELECT email, deleted_at FROM read.users WHERE id = $1', [id]);
      expect(projected.rows[0]).toMatchObject({ email: null, deleted_at: expect.any(Date) });

      expect((await t.http.post('/v1/auth/sign-up').send({ email, password })).status).toBe(201);
    });
  });

  describe('platform admins', () => {
    it('are bootstrapped verified and guard the admin routes; others get 403', async () => {
      const me = await t.http.get('/v1/me').set(t.admin);
      expect(me.body).toMatchObject({ email: TEST_ADMIN.email, verified: true, is_platform_admin: true });
      const user = await verifiedUser();
      for (const path of ['/v1/config', '/v1/admin/projections', '/v1/admin/mail']) {
        expect((await t.http.get(path).set(user.headers)).status).toBe(403);
        expect((await t.http.get(path).set(t.admin)).status).toBe(200);
      }
      expect((await t.http.get('/admin/queues').set(user.headers)).status).toBe(403);
    });

    it('bootstrapping again (a restart) changes nothing', async () => {
      const count = async () =>
        (await t.db.pool.query(`SELECT count(*)::int AS n FROM events WHERE type IN ('UserRegistered', 'PlatformAdminGranted') AND stream_id IN (SELECT 'user-' || id FROM read.users WHERE email = $1)`, [TEST_ADMIN.email])).rows[0].n;
      const before = await count();
      await t.stop();
      t = await startTestApp('identity', { reuse: t });
      expect(await count()).toBe(before);
      expect(before).toBe(2);
      expect((await t.http.get('/v1/config').set(t.admin)).status).toBe(200);
    });

    it('refuses to start, saying why, when the bootstrap email belongs to an ordinary account', async () => {
      const user = await verifiedUser();
      // One app at a time: passport keeps its strategies in a process-wide registry.
      await t.stop();
      const start = startTestApp('identity', { reuse: t, env: { BOOTSTRAP_ADMIN_EMAIL: user.email, BOOTSTRAP_ADMIN_PASSWORD: 'another-password-1' } });
      await expect(start).rejects.toThrow(/already belongs to an ordinary account/);
      t = await startTestApp('identity', { reuse: t });
      const me = await t.http.get('/v1/me').set(user.headers);
      expect(me.body).toMatchObject({ email: user.email, is_platform_admin: false });
    });
  });
});
