import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { EVENT_STORE, EventStore, RecordedEvent } from '@streamplane/eventstore';
import { freePort, LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { RoleProcess } from './faults/support/role-processes';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { millisUntil } from './support/millis-until';
import { verifiedUser } from './support/users';
import { Tenant, tenant } from './support/workspaces';

/**
 * The live catalog: platform admins publish and retire media-node versions and machine types over
 * HTTP; a retired entry refuses new uses at once in every process, and what runs keeps running.
 */
describe('Fleet through HTTP: the live catalog', () => {
  let t: TestApp;
  let ws: Tenant;
  let store: EventStore;
  let other: RoleProcess;
  let elsewhere: ReturnType<typeof request>;
  const started: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('fleet_catalog');
    store = t.app.get<EventStore>(EVENT_STORE);
    ws = await tenant(t, 'catalog');
    // A second api process on the same database: it must see each change without a restart.
    const port = await freePort();
    const env = { ROLES: 'api', ROLE_PROCESS_LISTEN: '1', PORT: String(port), DATABASE_URL: t.config.databaseUrl, QUEUE_PREFIX: t.config.queuePrefix, LOG_LEVEL: 'warn', RATE_LIMIT_PER_ADDRESS: '10000000', RATE_LIMIT_PER_PRINCIPAL: '10000000' };
    other = new RoleProcess('api', env, join(mkdtempSync(join(tmpdir(), 'sp-catalog-')), 'api.log'));
    await other.start();
    elsewhere = request(`http://127.0.0.1:${port}`);
  }, 120_000);
  afterAll(async () => {
    await other?.kill();
    await Promise.all(started.map((id) => t.app.get(LocalProvisioner).ensureStopped(id)));
    await t.close();
  });

  const catalogEvents = async () => {
    const events: RecordedEvent[] = [];
    for await (const event of store.readStream('catalog-platform')) events.push(event);
    return events;
  };
  const newCluster = (imageVersion: string) => t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: `on-${imageVersion}`, image_version: imageVersion });
  const newInstance = async (body: object) => {
    const res = await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send(body);
    if (res.status === 202) started.push(res.body.id);
    return res;
  };
  const instance = async (id: string) => (await t.http.get(`${ws.base}/instances/${id}`).set(ws.owner.headers).expect(200)).body;
  const until = (id: string, status: string) => eventually(async () => ((await instance(id)).status === status ? instance(id) : undefined), 30_000);
  const fieldsOf = (res: request.Response) => (res.body.errors ?? []).map((e: { field: string }) => e.field);

  it('is seeded from the defaults once, however many processes start', async () => {
    const events = await catalogEvents();
    expect(events.filter((e) => e.type === 'CatalogSeeded')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'CatalogMachineTypePublished').map((e) => e.data.name)).toEqual(['xsmall', 'small', 'medium', 'large', 'xlarge']);
    const versions = (await t.http.get('/v1/catalog/versions').set(ws.owner.headers).expect(200)).body;
    expect(versions[0]).toMatchObject({ version: '1.0.0', released_at: '2026-06-01T00:00:00.000Z', status: 'available', retired_at: null, description: expect.any(String) });
  });

  it('is for platform admins only: 401 without a token, 403 for anyone else, and appends nothing', async () => {
    const user = await verifiedUser(t, 'tenant');
    const before = await store.headPosition();
    const calls = [
      () => t.http.post('/v1/admin/catalog/versions').send({ version: '9.9.9' }),
      () => t.http.delete('/v1/admin/catalog/versions/1.0.0'),
      () => t.http.post('/v1/admin/catalog/machine-types').send({ name: 'x', vcpu: 1, memory_mb: 1024, watts: 1, price_per_hour: 1 }),
      () => t.http.delete('/v1/admin/catalog/machine-types/xsmall'),
    ];
    for (const call of calls) {
      expect((await call()).status).toBe(401);
      expect((await call().set(ws.owner.headers)).status).toBe(403);
      expect((await call().set(user.headers)).status).toBe(403);
    }
    expect(await store.headPosition()).toBe(before);
  });

  it('refuses bad entries naming the field, and a second publish of an available one (409)', async () => {
    const cases: Array<[string, object, string]> = [
      ['versions', {}, 'version'],
      ['versions', { version: '../etc' }, 'version'],
      ['versions', { version: '2.0.0', description: 7 }, 'description'],
      ['versions', { version: '2.0.0', colour: 'red' }, 'colour'],
      ['machine-types', { name: 'Big Box', vcpu: 1, memory_mb: 1024, watts: 1, price_per_hour: 1 }, 'name'],
      ['machine-types', { name: 'box', vcpu: 0, memory_mb: 1024, watts: 1, price_per_hour: 1 }, 'vcpu'],
      ['machine-types', { name: 'box', vcpu: 1.5, memory_mb: 1024, watts: 1, price_per_hour: 1 }, 'vcpu'],
      ['machine-types', { name: 'box', vcpu: 1, memory_mb: 1024, watts: -1, price_per_hour: 1 }, 'watts'],
      ['machine-types', { name: 'box', vcpu: 1, memory_mb: 1024, watts: 1 }, 'price_per_hour'],
    ];
    for (const [list, body, field] of cases) {
      const res = await t.http.post(`/v1/admin/catalog/${list}`).set(t.admin).send(body);
      expect({ field, status: res.status, type: res.headers['content-type'] }).toEqual({ field, status: 400, type: expect.stringContaining('application/problem+json') });
      expect(fieldsOf(res)).toContain(field);
    }
    expect((await t.http.post('/v1/admin/catalog/versions').set(t.admin).send({ version: '1.0.0' })).status).toBe(409);
    expect((await t.http.post('/v1/admin/catalog/machine-types').set(t.admin).send({ name: 'small', vcpu: 1, memory_mb: 1024, watts: 1, price_per_hour: 1 })).status).toBe(409);
    expect((await t.http.delete('/v1/admin/catalog/versions/0.0.1').set(t.admin)).status).toBe(404);
    expect((await t.http.delete('/v1/admin/catalog/machine-types/nope').set(t.admin)).status).toBe(404);
  });

  it('publishes a version that every process offers at once; retiring it refuses new clusters, images, instances, deploys and rollbacks, and running instances keep running', async () => {
    const published = await t.http.post('/v1/admin/catalog/versions').set(t.admin).send({ version: '1.2.0', description: 'a live release' }).expect(201);
    expect(published.body).toMatchObject({ version: '1.2.0', description: 'a live release', status: 'available', retired_at: null });
    // The other process had read the catalog before: it offers the new version without a restart.
    expect((await elsewhere.get('/v1/catalog/versions').set(ws.owner.headers).expect(200)).body.map((v: { version: string }) => v.version)).toContain('1.2.0');

    const clusterId = (await newCluster('1.2.0').expect(201)).body.id;
    const running = await newInstance({ cluster_id: clusterId });
    expect(running.status).toBe(202);
    await until(running.body.id, 'running');
    const spare = (await newCluster('1.0.0').expect(201)).body.id;
    const onOld = await newInstance({ cluster_id: spare });
    await until(onOld.body.id, 'running');

    // An instance that ran 1.2.0 and went back to 1.0.0: after the retirement it cannot roll back to 1.2.0.
    const deploysOf = (id: string) => `${ws.base}/instances/${id}/deploys`;
    const succeeded = (id: string, deployId: string) =>
      eventually(async () => (await t.http.get(deploysOf(id)).set(ws.owner.headers)).body.items.some((d: { id: string; status: string }) => d.id === deployId && d.status === 'succeeded'), 30_000);
    const upgrade = (await t.http.post(deploysOf(onOld.body.id)).set(ws.owner.headers).send({ image_version: '1.2.0' }).expect(202)).body;
    await succeeded(onOld.body.id, upgrade.id);
    const back = (await t.http.post(deploysOf(onOld.body.id)).set(ws.owner.headers).send({ image_version: '1.0.0' }).expect(202)).body;
    await succeeded(onOld.body.id, back.id);

    await t.http.delete('/v1/admin/catalog/versions/1.2.0').set(t.admin).expect(204);
    await t.http.delete('/v1/admin/catalog/versions/1.2.0').set(t.admin).expect(204);
    expect((await catalogEvents()).filter((e) => e.type === 'CatalogVersionRetired')).toHaveLength(1);

    const listed = (await t.http.get('/v1/catalog/versions').set(ws.owner.headers).expect(200)).body.find((v: { version: string }) => v.version === '1.2.0');
    expect(listed).toMatchObject({ status: 'retired', retired_at: expect.any(String) });
    const refused = [
      [await newCluster('1.2.0'), 'image_version'],
      [await t.http.patch(`${ws.base}/clusters/${spare}`).set(ws.owner.headers).send({ image_version: '1.2.0' }), 'image_version'],
      [await newInstance({ cluster_id: clusterId }), 'cluster_id'],
      [await t.http.post(`${ws.base}/instances/${onOld.body.id}/deploys`).set(ws.owner.headers).send({ image_version: '1.2.0' }), 'image_version'],
      [await t.http.post(`${ws.base}/instances/${onOld.body.id}/rollback`).set(ws.owner.headers).send({ deploy_id: upgrade.id }), 'deploy_id'],
    ] as const;
    for (const [res, field] of refused) {
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(fieldsOf(res)).toContain(field);
      expect(res.body.errors.find((e: { field: string }) => e.field === field).message).toMatch(/retired/);
    }
    // Without a named deploy, the only earlier version is the retired one: nothing to roll back to.
    const noRollback = await t.http.post(`${ws.base}/instances/${onOld.body.id}/rollback`).set(ws.owner.headers).send({});
    expect({ status: noRollback.status, detail: noRollback.body.detail }).toEqual({ status: 400, detail: expect.stringMatching(/not retired/) });
    // What runs on it keeps running.
    expect((await instance(running.body.id)).status).toBe('running');
    expect((await fetch(`${(await instance(running.body.id)).endpoint}/health`)).status).toBe(200);
    // The other process refuses it too, within a second.
    expect(await millisUntil(async () => (await elsewhere.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'late', image_version: '1.2.0' })).status === 400)).toBeLessThan(1000);

    // Published again, it is offered again.
    await t.http.post('/v1/admin/catalog/versions').set(t.admin).send({ version: '1.2.0' }).expect(201);
    await newCluster('1.2.0').expect(201);
  });

  it('publishes a machine type whose rates meter its instances; retired, it takes no new instances or changes, and its instances are still metered at its rates', async () => {
    const jumbo = { name: 'jumbo', vcpu: 32, memory_mb: 65536, watts: 321, price_per_hour: 4.5 };
    expect((await t.http.post('/v1/admin/catalog/machine-types').set(t.admin).send(jumbo).expect(201)).body).toEqual({ ...jumbo, status: 'available', retired_at: null });
    const clusterId = (await newCluster('1.0.0').expect(201)).body.id;
    const big = await newInstance({ cluster_id: clusterId, machine_type: 'jumbo' });
    expect(big.status).toBe(202);
    await until(big.body.id, 'running');

    await t.http.delete('/v1/admin/catalog/machine-types/jumbo').set(t.admin).expect(204);
    const types = (await elsewhere.get('/v1/catalog/machine-types').set(ws.owner.headers).expect(200)).body;
    expect(types.find((m: { name: string }) => m.name === 'jumbo')).toMatchObject({ ...jumbo, status: 'retired' });
    const refusedNew = await newInstance({ cluster_id: clusterId, machine_type: 'jumbo' });
    expect({ status: refusedNew.status, fields: fieldsOf(refusedNew) }).toEqual({ status: 400, fields: ['machine_type'] });
    const small = await newInstance({ cluster_id: clusterId, machine_type: 'small' });
    const refusedChange = await t.http.patch(`${ws.base}/instances/${small.body.id}`).set(ws.owner.headers).send({ machine_type: 'jumbo' });
    expect({ status: refusedChange.status, fields: fieldsOf(refusedChange) }).toEqual({ status: 400, fields: ['machine_type'] });

    // Restarted after the retirement, the jumbo instance runs again and its new run is priced as a jumbo.
    await t.http.post(`${ws.base}/instances/${big.body.id}/restart`).set(ws.owner.headers).expect(202);
    const meteredRuns = async () => {
      const runs: RecordedEvent[] = [];
      for await (const event of store.readStream(`usage-${big.body.id}`)) if (event.type === 'UsageMeteringStarted') runs.push(event);
      return runs;
    };
    const runs = await eventually(async () => {
      const found = await meteredRuns();
      return found.length >= 2 && found;
    }, 30_000);
    for (const run of runs) expect((run.data as { rates: object }).rates).toMatchObject({ machine_type: 'jumbo', watts: 321, unit_price_per_hour: 4.5 });
    expect((await until(big.body.id, 'running')).machine_type).toBe('jumbo');
  });
});
