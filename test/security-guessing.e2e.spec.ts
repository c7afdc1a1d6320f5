import { startTestApp, TestApp } from './support/test-app';
import { PASSWORD, verifiedUser } from './support/users';

/** Issue 9, items 6 and 8: password guessing is slowed per (account, address) and per account, atomically, and cannot lock the owner out. */
describe('Password guessing', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Behind a proxy: the client address comes from X-Forwarded-For, so the test can speak from several.
    t = await startTestApp('guessing', { env: { TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  const signInFrom = (address: string, email: string, password: string) => t.http.post('/v1/auth/sign-in').set('X-Forwarded-For', address).send({ email, password });

  it('failures slow down their own address only: the owner signs in from another address at once', async () => {
    const user = await verifiedUser(t, 'victim');
    for (let i = 0; i < 5; i++) expect((await signInFrom('203.0.113.1', user.email, 'wrong password!')).status).toBe(401);
    const slowed = await signInFrom('203.0.113.1', user.email, PASSWORD);
    expect(slowed.status).toBe(429);
    expect(slowed.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const owner = await signInFrom('198.51.100.2', user.email, PASSWORD);
    expect(owner.status).toBe(200);
    expect(owner.body.token).toMatch(/^sp_session_/);
  });

  it('counts atomically: of 30 parallel wrong guesses, no more than 5 reach the password check', async () => {
    const user = await verifiedUser(t, 'parallel');
    const answers = await Promise.all(Array.from({ length: 30 }, () => signInFrom('203.0.113.3', user.email, 'wrong password!')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(25);
  });

  it('caps one address across accounts: 20 failures, then 429 even for a new account', async () => {
    for (let i = 0; i < 20; i++) expect((await signInFrom('203.0.113.9', `nobody${i}@example.com`, 'wrong password!')).status).toBe(401);
    const capped = await signInFrom('203.0.113.9', 'someone-else@example.com', 'wrong password!');
    expect(capped.status).toBe(429);
    expect(capped.body.code).toBe('too_many_requests');
  });

  it('slows guesses at one account from many addresses, with growing delays, but never locks it', async () => {
    const user = await verifiedUser(t, 'spread'); // signed in from 127.0.0.1: an address the account knows
    const fresh = (i: number) => `192.0.2.${i}`;
    // One failure from each of 10 addresses: no pair and no address is slowed, the account is (10 free failures).
    for (let i = 1; i <= 10; i++) expect((await signInFrom(fresh(i), user.email, 'wrong password!')).status).toBe(401);
    const slowed = await signInFrom(fresh(11), user.email, PASSWORD);
    expect(slowed.status).toBe(429);
    expect(slowed.headers['content-type']).toMatch(/application\/problem\+json/);
    const firstWait = Number(slowed.headers['retry-after']);
    expect(firstWait).toBe(1);
    // The owner's own address passes the account's delay: no lockout as a weapon.
    expect((await signInFrom('127.0.0.1', user.email, PASSWORD)).status).toBe(200);

    // The delay grows with each further failure (1 s, then 2 s)…
    await new Promise((resolve) => setTimeout(resolve, firstWait * 1000 + 100));
    expect((await signInFrom(fresh(12), user.email, 'wrong password!')).status).toBe(401);
    const longer = await signInFrom(fresh(13), user.email, 'wrong password!');
    expect(longer.status).toBe(429);
    expect(Number(longer.headers['retry-after'])).toBe(2);
    // …and ends: once it ran, the right password from an address never seen before gets in.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const owner = await signInFrom(fresh(14), user.email, PASSWORD);
    expect(owner.status).toBe(200);
  });
});
