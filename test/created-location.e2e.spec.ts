import { startTestApp, TestApp } from './support/test-app';
import { verifiedUser } from './support/users';

describe('A 201 says where the created entity is read (Location)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('created_location');
  });
  afterAll(() => t.close());

  it('points each create to the read of what it created', async () => {
    const owner = await verifiedUser(t, 'location');
    const workspace = await t.http.post('/v1/workspaces').set(owner.headers).send({ name: 'located' });
    expect(workspace.status).toBe(201);
    expect(workspace.headers.location).toBe(`/v1/workspaces/${workspace.body.id}`);
    expect((await t.http.get(workspace.headers.location).set(owner.headers)).body.id).toBe(workspace.body.id);
    const slashed = await t.http.post('/v1/workspaces/').set(owner.headers).send({ name: 'slashed' });
    expect(slashed.headers.location).toBe(`/v1/workspaces/${slashed.body.id}`);

    const streams = `/v1/workspaces/${workspace.body.id}/streams`;
    const stream = await t.http.post(`${streams}?ignored=1`).set(owner.headers).send({ name: 'cam', data: { reference: 'rtsp://a/b', type: 'tcp' }, event_handler: {} });
    expect(stream.status).toBe(201);
    expect(stream.headers.location).toBe(`${streams}/${stream.body.stream_id}`);
    expect((await t.http.get(stream.headers.location).set(owner.headers)).body.stream_id).toBe(stream.body.stream_id);

    const group = await t.http.post(`/v1/workspaces/${workspace.body.id}/groups`).set(owner.headers).send({ group_name: 'north' });
    expect(group.status).toBe(201);
    expect((await t.http.get(group.headers.location).set(owner.headers)).status).toBe(200);
  });

  it('gives none where there is nothing to read at a path of its own', async () => {
    const signUp = await t.http.post('/v1/auth/sign-up').send({ email: `nowhere.${Date.now()}@example.com`, password: 'correct horse battery' });
    expect(signUp.status).toBe(201);
    expect(signUp.headers.location).toBeUndefined();
  });
});
