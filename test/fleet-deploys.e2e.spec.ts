import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { Tenant, tenant } from './support/workspaces';

type Info = { version: string; env_names: string[]; pid: number };

describe('Fleet through HTTP: deploys, rollback, cluster rollouts, env vars and logs', () => {
  let t: TestApp;
  let ws: Tenant;
  let clusterId: string;
  const started: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('fleet_deploys');
    ws = await tenant(t, 'deploys');
    clusterId = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'edge', image_version: '1.0.0' }).expect(201)).body.id;
  });
  afterAll(async () => {
    const provisioner = t.app.get(LocalProvisioner);
    await Promise.all(started.map((id) => provisioner.ensureStopped(id)));
    await t.close();
  });

  const path = (id: string, rest = '') => `${ws.base}/instances/${id}${rest}`;
  const get = async (id: string) => (await t.http.get(path(id)).set(ws.owner.headers).expect(200)).body;
  const info = async (id: string): Promise<Info> => (await (await fetch(`${(await get(id)).endpoint}/info`)).json()) as Info;
  const runningWith = (id: string, check: (info: Info) => boolean) =>
    eventually(async () => {
      const instance = await get(id);
      // The read model may still say running while a deploy replaces the process.
      const seen = instance.status === 'running' ? await info(id).catch(() => undefined) : undefined;
      return seen && check(seen) ? instance : undefined;
    }, 30_000);
  async function newInstance(): Promise<string> {
    const id = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: clusterId }).expect(202)).body.id;
    started.push(id);
    await runningWith(id, () => true);
    return id;
  }

  it('deploys a new version, rolls back to the previous one and forward to a named deploy; history newest first', async () => {
    const id = await newInstance();
    const deploy = await t.http.post(path(id, '/deploys')).set(ws.owner.headers).send({ image_version: '1.1.0' });
    expect(deploy.status).toBe(202);
    expect(deploy.body).toMatchObject({ id: expect.any(String), image_version: '1.1.0', from_version: '1.0.0', kind: 'deploy', status: 'queued' });
    await runningWith(id, (i) => i.version === '1.1.0');

    const rollback = await t.http.post(path(id, '/rollback')).set(ws.owner.headers).send({}).expect(202);
    expect(rollback.body).toMatchObject({ image_version: '1.0.0', kind: 'rollback' });
    await runningWith(id, (i) => i.version === '1.0.0');
    await t.http.post(path(id, '/rollback')).set(ws.owner.headers).send({ deploy_id: deploy.body.id }).expect(202);
    await runningWith(id, (i) => i.version === '1.1.0');

    const history = (await t.http.get(path(id, '/deploys')).set(ws.owner.headers).expect(200)).body;
    expect(history.items.map((d: { kind: string; image_version: string; status: string }) => `${d.kind} ${d.image_version} ${d.status}`)).toEqual([
      'rollback 1.1.0 succeeded',
      'rollback 1.0.0 succeeded',
      'deploy 1.1.0 succeeded',
    ]);
    expect((await get(id)).image_version).toBe('1.1.0');

    expect((await t.http.post(path(id, '/deploys')).set(ws.owner.headers).send({ image_version: '9.9.9' })).status).toBe(400);
    expect((await t.http.post(path(id, '/rollback')).set(ws.owner.headers).send({ deploy_id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
  });

  it('refuses a rollback with nothing to roll back to (400)', async () => {
    const id = await newInstance();
    const res = await t.http.post(path(id, '/rollback')).set(ws.owner.headers).send({});
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/no earlier version/);
  });

  it('sets and unsets env vars; restart: true applies them to the running process', async () => {
    const id = await newInstance();
    const set = await t.http.put(path(id, '/env')).set(ws.owner.headers).send({ envs: { LOG_LEVEL: 'debug', MAX_ROOMS: '10' }, restart: true }).expect(200);
    expect(set.body).toEqual({ envs: { LOG_LEVEL: 'debug', MAX_ROOMS: '10' } });
    await runningWith(id, (i) => i.env_names.includes('LOG_LEVEL') && i.env_names.includes('MAX_ROOMS'));
    expect((await get(id)).env_names).toEqual(['LOG_LEVEL', 'MAX_ROOMS']);

    const unset = await t.http.delete(path(id, '/env')).query({ names: 'MAX_ROOMS' }).set(ws.owner.headers).expect(200);
    expect(unset.body).toEqual({ envs: { LOG_LEVEL: 'debug' } });
    for (const body of [{ envs: { 'lower-case': 'x' } }, { envs: { OK: 5 } }, { envs: 'A=1' }]) {
      const res = await t.http.put(path(id, '/env')).set(ws.owner.headers).send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('envs');
    }
    expect((await t.http.delete(path(id, '/env')).query({ names: 'bad name' }).set(ws.owner.headers)).status).toBe(400);
  });

  it("returns the instance process's log lines, filtered by since, search and limit", async () => {
    const id = await newInstance();
    await fetch(`${(await get(id)).endpoint}/info`);
    const all = (await t.http.get(path(id, '/logs')).set(ws.owner.headers).expect(200)).body.items;
    expect(all.some((l: { line: string }) => l.line.includes('media node listening'))).toBe(true);
    const searched = (await t.http.get(path(id, '/logs')).query({ search: 'GET /INFO' }).set(ws.owner.headers)).body.items;
    expect(searched.length).toBeGreaterThan(0);
    expect(searched.every((l: { line: string }) => l.line.includes('GET /info'))).toBe(true);
    expect((await t.http.get(path(id, '/logs')).query({ limit: '1' }).set(ws.owner.headers)).body.items).toHaveLength(1);
    expect((await t.http.get(path(id, '/logs')).query({ since: '2999-01-01T00:00:00.000Z' }).set(ws.owner.headers)).body.items).toEqual([]);
    expect((await t.http.get(path(id, '/logs')).query({ limit: '1001' }).set(ws.owner.headers)).status).toBe(400);
  });

  it("rolls a cluster's new image out to its instances", async () => {
    ws = await tenant(t, 'rollout'); // a fresh workspace: the earlier tests used up most of the instance limit
    const cluster = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'rolling', image_version: '1.0.0' }).expect(201)).body.id;
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const id = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: cluster }).expect(202)).body.id;
      started.push(id);
      ids.push(id);
    }
    for (const id of ids) await runningWith(id, () => true);
    await t.http.patch(`${ws.base}/clusters/${cluster}`).set(ws.owner.headers).send({ image_version: '1.1.0' }).expect(200);
    for (const id of ids) {
      await runningWith(id, (i) => i.version === '1.1.0');
      const history = (await t.http.get(path(id, '/deploys')).set(ws.owner.headers)).body.items;
      expect(history[0]).toMatchObject({ kind: 'rollout', image_version: '1.1.0', status: 'succeeded' });
    }
  });
});
