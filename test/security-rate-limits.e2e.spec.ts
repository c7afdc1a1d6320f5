import { startTestApp, TestApp } from './support/test-app';
import { Tenant, tenant } from './support/workspaces';

/** Issue 9, items 6 and 8: one global rate limiter (Redis), per address and per principal, and budgets for mail-sending actions. */
describe('Global rate limits', () => {
  let t: TestApp;
  let inviter: Tenant;
  beforeAll(async () => {
    t = await startTestApp('rate_limits', {
      env: { RATE_LIMIT_PER_ADDRESS: '250', RATE_LIMIT_PER_PRINCIPAL: '60', RATE_LIMIT_WINDOW_SECONDS: '60', SIGN_UP_LIMIT_PER_HOUR: '3', INVITATION_LIMIT_PER_HOUR: '2' },
    });
  });
  afterAll(() => t.close());

  const expectThrottled = (res: { status: number; headers: Record<string, string>; body: { code?: string } }) => {
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('too_many_requests');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  };

  it('invitations have a budget per workspace', async () => {
    const owner = (inviter = await tenant(t, 'inviter')); // its sign-up is the first of 3 from this address
    const invite = (i: number) => t.http.post(`${owner.base}/members`).set(owner.owner.headers).send({ email: `invitee${i}@example.com`, role: 'viewer' });
    expect((await invite(1)).status).toBe(201);
    expect((await invite(2)).status).toBe(201);
    expectThrottled(await invite(3));
  });

  it('sign-ups have a budget per address', async () => {
    const signUp = (i: number) => t.http.post('/v1/auth/sign-up').send({ email: `signup${i}.${Date.now()}@example.com`, password: 'long enough password' });
    expect((await signUp(1)).status).toBe(201);
    expect((await signUp(2)).status).toBe(201);
    expectThrottled(await signUp(3));
  });

  it('a principal has one budget across routes; another principal is not affected', async () => {
    const answers = await Promise.all(Array.from({ length: 61 }, (_, i) => t.http.get(i % 2 ? '/v1/me' : '/v1/admin/projections').set(t.admin)));
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(60);
    expectThrottled(answers.find((a) => a.status === 429)!);
    expect((await t.http.get('/v1/me').set(inviter.owner.headers)).status).toBe(200);
  });

  it('an address has one budget; X-Forwarded-For does not move it (TRUST_PROXY is off by default); health stays exempt', async () => {
    const answers = await Promise.all(Array.from({ length: 251 }, (_, i) => t.http.get('/v1/version').set('X-Forwarded-For', `192.0.2.${i % 250}`)));
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(250);
    expectThrottled(answers.find((a) => a.status === 429)!);
    expect((await t.http.get('/v1/health')).status).not.toBe(429);
    expect((await t.http.get('/metrics')).status).not.toBe(429);
  });
});
