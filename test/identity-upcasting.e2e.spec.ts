import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { KeyStore } from '@streamplane/identity/stores/key-store';
import { eventually, startTestApp, TestApp } from './support/test-app';

// A UserRegistered of version 1 (`registered_at`) as an older release wrote it: the users
// projection, the command side and the mail reactor read it as version 2 (`at`).
describe('Identity: a stored v1 UserRegistered reads as version 2 everywhere', () => {
  let t: TestApp;
  const id = randomUUID();
  const email = `old.${Date.now()}@example.com`;
  const registeredAt = '2025-01-02T03:04:05.000Z';
  const eventId = randomUUID();

  beforeAll(async () => {
    t = await startTestApp('identity_upcasting');
    const sealed = await t.app.get(KeyStore).seal(id, email);
    await t.app.get<EventStore>(EVENT_STORE).append(
      `user-${id}`,
      [{ eventId, type: 'UserRegistered', data: { user_id: id, email: sealed, registered_at: registeredAt }, metadata: { event_version: 1 } }],
      'no_stream',
    );
  });
  afterAll(() => t.close());

  it('the users projection takes the creation time from what version 1 called registered_at', async () => {
    const row = await eventually(async () => (await t.db.pool.query('SELECT email, created_at FROM read.users WHERE id = $1', [id])).rows[0]);
    expect(row.email).toBe(email);
    expect(new Date(row.created_at).toISOString()).toBe(registeredAt);
  });

  it('the account folds on the command side, and its reset mail goes out from the reactor', async () => {
    await t.http.post('/v1/auth/reset-password').send({ email }).expect(202);
    const mail = await eventually(async () => (await t.http.get('/v1/admin/mail').query({ to: email }).set(t.admin)).body.items?.[0], 30_000);
    expect(mail.subject).toMatch(/reset/i);
  });

  it('leaves the stored JSON as it was written', async () => {
    const { rows } = await t.db.pool.query('SELECT data, metadata FROM events WHERE event_id = $1', [eventId]);
    expect(rows[0].data).toEqual({ user_id: id, email: expect.any(String), registered_at: registeredAt });
    expect(rows[0].metadata.event_version).toBe(1);
  });
});
