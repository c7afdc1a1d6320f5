import { eventually, signIn, TestApp } from './test-app';

let seq = 0;
export const PASSWORD = 'correct horse battery';

/** A signed-up, verified, signed-in user (verification through the outbox mail, as a person would). */
export async function verifiedUser(t: TestApp, label = 'user'): Promise<{ email: string; id: string; headers: { Authorization: string } }> {
  const email = `${label}${++seq}.${Date.now()}@example.com`;
  const created = await t.http.post('/v1/auth/sign-up').send({ email, password: PASSWORD });
  await verifyByMail(t, email);
  return { email, id: created.body.id, headers: await signIn(t.http, { email, password: PASSWORD }) };
}

export async function verifyByMail(t: TestApp, email: string): Promise<void> {
  const mail = await eventually(async () => (await t.http.get('/v1/admin/mail').query({ to: email }).set(t.admin)).body.items?.find((m: { subject: string }) => /verify/i.test(m.subject)));
  const token = /(sp_verify_[A-Za-z0-9_-]+)/.exec(mail.body)![1];
  await t.http.post('/v1/auth/verify').send({ verification_token: token }).expect(200);
}
