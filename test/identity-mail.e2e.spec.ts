import { ConsumerRegistry, ProcessorRegistry, QueueRegistry, jobIdFor } from '@streamplane/core';
import { EVENT_STORE, EventStore, RecordedEvent } from '@streamplane/eventstore';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { PASSWORD, verifiedUser } from './support/users';

/** Mail goes out from the events (a reactor), never next to the append in the request. */
describe('Identity mail through HTTP: sent from the log, once per event', () => {
  let t: TestApp;
  let seq = 0;
  beforeAll(async () => {
    t = await startTestApp('identity_mail');
  });
  afterAll(() => t.close());

  const newEmail = (label: string) => `${label}${++seq}.${Date.now()}@example.com`;

  async function mailsTo(email: string): Promise<Array<{ subject: string; body: string }>> {
    return (await t.http.get('/v1/admin/mail').query({ to: email }).set(t.admin)).body.items;
  }
  const firstMail = (email: string, subject: RegExp) => eventually(async () => (await mailsTo(email)).find((m) => subject.test(m.subject)));

  /** Makes every write to the mail outbox fail, as a mail server that is down would. */
  async function withMailDown<T>(work: () => Promise<T>): Promise<T> {
    await t.db.pool.query('ALTER TABLE mail_outbox ADD CONSTRAINT mail_is_down CHECK (false) NOT VALID');
    try {
      return await work();
    } finally {
      await t.db.pool.query('ALTER TABLE mail_outbox DROP CONSTRAINT mail_is_down');
    }
  }

  it('sign-up and invitation succeed while mail is down; their mails arrive once it is back', async () => {
    const owner = await verifiedUser(t, 'owner');
    const ws = (await t.http.post('/v1/workspaces').set(owner.headers).send({ name: 'Mail Room' }).expect(201)).body;
    const signUpEmail = newEmail('signup');
    const inviteeEmail = newEmail('invitee');

    const [signedUp, invited] = await withMailDown(async () => [
      await t.http.post('/v1/auth/sign-up').send({ email: signUpEmail, password: PASSWORD }),
      await t.http.post(`/v1/workspaces/${ws.id}/members`).set(owner.headers).send({ email: inviteeEmail, role: 'member' }),
    ]);
    expect([signedUp.status, invited.status]).toEqual([201, 201]);

    const verification = await firstMail(signUpEmail, /verify/i);
    const token = /(sp_verify_[A-Za-z0-9_-]+)/.exec(verification.body)![1];
    await t.http.post('/v1/auth/verify').send({ verification_token: token }).expect(200);
    expect((await firstMail(inviteeEmail, /invited/i)).subject).toContain('Mail Room');
    // A retry of the invitation is still a conflict, but now the mail is out anyway.
    expect((await t.http.post(`/v1/workspaces/${ws.id}/members`).set(owner.headers).send({ email: inviteeEmail, role: 'member' })).status).toBe(409);
  });

  it('mails the reset token; neither it nor the verification token is in the log in clear', async () => {
    const user = await verifiedUser(t, 'reset');
    await t.http.post('/v1/auth/reset-password').send({ email: user.email }).expect(202);
    const reset = await firstMail(user.email, /reset/i);
    const verification = await firstMail(user.email, /verify/i);
    const tokens = [/(sp_reset_[A-Za-z0-9_-]+)/.exec(reset.body)![1], /(sp_verify_[A-Za-z0-9_-]+)/.exec(verification.body)![1]];
    for (const token of tokens) {
      const { rows } = await t.db.pool.query('SELECT count(*)::int AS n FROM events WHERE data::text LIKE $1 OR metadata::text LIKE $1', [`%${token}%`]);
      expect(rows[0].n).toBe(0);
    }
    await t.http.post('/v1/auth/reset-password/confirm').send({ user_id: user.id, token: tokens[0], password: 'a reset password' }).expect(200);
  });

  it('one event mails once: re-delivering the event to the reactor or re-running its job sends nothing more', async () => {
    const email = newEmail('once');
    const { id } = (await t.http.post('/v1/auth/sign-up').send({ email, password: PASSWORD }).expect(201)).body;
    await firstMail(email, /verify/i);
    expect(await mailsTo(email)).toHaveLength(1);

    const events: RecordedEvent[] = [];
    for await (const event of t.app.get<EventStore>(EVENT_STORE).readStream(`user-${id}`)) events.push(event);
    const sent = events.filter((e) => e.type === 'VerificationEmailSent');
    expect(sent).toHaveLength(1);

    // The reactor sees the event again (as after a crash before its checkpoint moved).
    const reactor = t.app.get(ConsumerRegistry).get('identity-mail');
    expect(reactor).toBeDefined();
    const client = await t.db.pool.connect();
    try {
      await reactor!.process(client, events);
    } finally {
      client.release();
    }
    // The job runs again (as a stalled job handed to a second worker would).
    const processor = t.app.get(ProcessorRegistry).all().find((p) => p.queue === 'mail')!;
    const job = await t.app.get(QueueRegistry).queue('mail').getJob(jobIdFor(reactor!.name, sent[0], 0));
    expect(job).toBeDefined();
    await processor.process(job!);

    await new Promise((resolve) => setTimeout(resolve, 1500)); // room for a duplicate job to run, were there one
    expect(await mailsTo(email)).toHaveLength(1);
  });
});
