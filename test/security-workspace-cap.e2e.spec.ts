import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { startTestApp, TestApp } from './support/test-app';
import { verifiedUser } from './support/users';
import { join } from './support/workspaces';

const CAP = 3;

/** Issue 9 item 8, issue 16 item 6: an account owns at most MAX_WORKSPACES_PER_USER workspaces, however fast it asks. */
describe('Workspace cap per account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('workspace_cap', { env: { MAX_WORKSPACES_PER_USER: String(CAP) } });
  });
  afterAll(() => t.close());

  const create = (headers: { Authorization: string }, name = 'w') => t.http.post('/v1/workspaces').set(headers).send({ name });
  const owned = async (headers: { Authorization: string }) => (await t.http.get('/v1/workspaces').set(headers)).body.items.filter((w: { role: string }) => w.role === 'owner').length;

  it('refuses the workspace past the cap with a 403 problem, and a deletion frees a slot', async () => {
    const user = await verifiedUser(t, 'capped');
    const ids = [];
    for (let i = 0; i < CAP; i++) ids.push((await create(user.headers).expect(201)).body.id);
    const refused = await create(user.headers);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(/already owns 3 workspaces/) });
    expect(await owned(user.headers)).toBe(CAP);

    await t.http.delete(`/v1/workspaces/${ids[0]}`).set(user.headers).expect(204);
    expect((await create(user.headers)).status).toBe(201);
    expect((await create(user.headers)).status).toBe(403);
  });

  it('holds under a concurrent burst: of 12 creations at once exactly the cap succeed', async () => {
    const user = await verifiedUser(t, 'burst');
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => create(user.headers, `burst ${i}`)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(CAP);
    expect(statuses.filter((s) => s === 403)).toHaveLength(12 - CAP);
    expect(await owned(user.headers)).toBe(CAP);
  });

  it('leaves platform admins uncapped', async () => {
    const answers = [];
    for (let i = 0; i <= CAP; i++) answers.push((await create(t.admin, `admin ${i}`)).status);
    expect(answers).toEqual(Array(CAP + 1).fill(201));
  });

  it('moves the slot with ownership: a transfer to an account at its cap is refused, and frees the old owner', async () => {
    const giver = await verifiedUser(t, 'giver');
    const taker = await verifiedUser(t, 'taker');
    const given = (await create(giver.headers).expect(201)).body.id;
    for (let i = 1; i < CAP; i++) await create(giver.headers).expect(201);
    const takers = [];
    for (let i = 0; i < CAP; i++) takers.push((await create(taker.headers).expect(201)).body.id);
    await join(t, `/v1/workspaces/${given}`, giver.headers, taker, 'admin');

    const transfer = () => t.http.post(`/v1/workspaces/${given}/transfer-ownership`).set(giver.headers).send({ user_id: taker.id });
    const refused = await transfer();
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/already owns 3 workspaces/);

    await t.http.delete(`/v1/workspaces/${takers[0]}`).set(taker.headers).expect(204);
    expect((await transfer()).status).toBe(200);
    expect(await owned(taker.headers)).toBe(CAP);
    // The giver's slot went with the workspace.
    expect((await create(giver.headers)).status).toBe(201);
    expect((await create(taker.headers)).status).toBe(403);
  });

  it('reclaims a slot whose creation died before writing its workspace, once the grace period is over', async () => {
    const user = await verifiedUser(t, 'crashed');
    for (let i = 1; i < CAP; i++) await create(user.headers).expect(201);
    // The crash: a creation took its slot two minutes ago and its process died before the workspace.
    const ghost = randomUUID();
    const at = new Date(Date.now() - 120_000).toISOString();
    await t.app.get<EventStore>(EVENT_STORE).append(`workspace_slots-${user.id}`, [{ eventId: randomUUID(), type: 'WorkspaceSlotTaken', data: { workspace_id: ghost, at }, metadata: { event_version: 1 } }], 'any');

    const created = await create(user.headers);
    expect(created.status).toBe(201);
    const slots = await t.db.pool.query<{ type: string; workspace_id: string }>(`SELECT type, data->>'workspace_id' AS workspace_id FROM events WHERE stream_id = $1 ORDER BY position`, [`workspace_slots-${user.id}`]);
    expect(slots.rows.slice(-2)).toEqual([
      { type: 'WorkspaceSlotReclaimed', workspace_id: ghost },
      { type: 'WorkspaceSlotTaken', workspace_id: created.body.id },
    ]);
    expect((await create(user.headers)).status).toBe(403);
  });
});
