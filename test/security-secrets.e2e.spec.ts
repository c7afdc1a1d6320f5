import { ChildProcess, fork } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { PASSWORD, verifiedUser } from './support/users';

/** Issue 9, item 5: secrets are not kept in replayable answers, not taken from URLs, not logged. */
describe('Secrets at rest and in logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('secrets');
  });
  afterAll(() => t.close());

  const storedAnswers = async () => (await t.db.pool.query<{ body: string }>('SELECT response_body::text AS body FROM idempotency_keys')).rows.map((r) => r.body).join('\n');

  describe('Idempotency-Key on routes that mint tokens', () => {
    it('an API token is shown once: a replay answers 409 naming the token id, and no token is stored', async () => {
      const user = await verifiedUser(t, 'idem-token');
      const first = await t.http.post('/v1/tokens').set(user.headers).set('Idempotency-Key', 'token-1').send({ name: 'ci' });
      expect(first.status).toBe(201);
      expect(first.body.token).toMatch(/^sp_api_/);
      const replay = await t.http.post('/v1/tokens').set(user.headers).set('Idempotency-Key', 'token-1').send({ name: 'ci' });
      expect(replay.status).toBe(409);
      expect(replay.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(replay.body).toMatchObject({ code: 'secret_not_replayable', detail: expect.stringContaining(first.body.id) });
      expect(JSON.stringify(replay.body)).not.toContain(first.body.token);
      // The retry created nothing: still one token.
      expect((await t.http.get('/v1/tokens').set(user.headers)).body).toHaveLength(1);
      expect(await storedAnswers()).not.toContain('sp_api_');
    });

    it('a sign-in under a key stores no session token, and its replay gives none', async () => {
      const user = await verifiedUser(t, 'idem-session');
      const first = await t.http.post('/v1/auth/sign-in').set('Idempotency-Key', 'signin-1').send({ email: user.email, password: PASSWORD });
      expect(first.status).toBe(200);
      expect(first.body.token).toMatch(/^sp_session_/);
      const replay = await t.http.post('/v1/auth/sign-in').set('Idempotency-Key', 'signin-1').send({ email: user.email, password: PASSWORD });
      expect(replay.status).toBe(409);
      expect(replay.body.token).toBeUndefined();
      expect(await storedAnswers()).not.toContain('sp_session_');
    });
  });

  describe('bearer tokens come from the Authorization header only', () => {
    it('?access_token= and a body access_token are refused; the header works', async () => {
      const user = await verifiedUser(t, 'bearer');
      const token = user.headers.Authorization.slice('Bearer '.length);
      const fromQuery = await t.http.get('/v1/me').query({ access_token: token });
      expect(fromQuery.status).toBe(401);
      expect(fromQuery.headers['www-authenticate']).toBe('Bearer');
      expect(fromQuery.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await t.http.post('/v1/auth/sign-out').send({ access_token: token })).status).toBe(401);
      expect((await t.http.get('/v1/me').set(user.headers)).status).toBe(200);
    });

    it('a malformed Authorization header is a 401, whatever its shape', async () => {
      for (const header of ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'bearer sp_session_unknown']) {
        expect({ header, status: (await t.http.get('/v1/me').set('Authorization', header)).status }).toEqual({ header, status: 401 });
      }
      const unknown = await t.http.get('/v1/me').set('Authorization', 'Bearer sp_session_unknown');
      expect(unknown.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });
  });

  describe('request logs', () => {
    let child: ChildProcess | undefined;
    afterAll(() => child?.kill('SIGKILL'));

    it('never hold a secret sent in the query string', async () => {
      const port = await freePort();
      let output = '';
      child = fork(join(__dirname, 'support', 'role-process.ts'), [], {
        execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
        env: { ...process.env, DATABASE_URL: t.config.databaseUrl, QUEUE_PREFIX: t.config.queuePrefix, ROLES: 'api', ROLE_PROCESS_LISTEN: '1', PORT: String(port), LOG_LEVEL: 'info', TS_NODE_PROJECT: 'tsconfig.json' },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await new Promise((resolve, reject) => {
        child!.once('message', resolve);
        child!.once('exit', (code) => reject(new Error(`api exited with ${code}:\n${output.slice(-2000)}`)));
      });
      const secrets = ['hunter2-password', 'query-access-token', 'the-api-key', 'the-secret', 'the-token'];
      const query = `password=${secrets[0]}&access_token=${secrets[1]}&key=${secrets[2]}&secret=${secrets[3]}&token=${secrets[4]}&page=7`;
      expect((await fetch(`http://127.0.0.1:${port}/v1/version?${query}`)).status).toBe(200);
      const line = await eventually(async () => output.split('\n').find((l) => l.includes('request completed') && l.includes('/v1/version')), 20_000);
      expect(line).toContain('page=7'); // the URL is logged, only its secrets are not
      for (const secret of secrets) expect(output).not.toContain(secret);
    }, 90_000);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
