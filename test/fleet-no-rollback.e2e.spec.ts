import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { memberOf, Tenant, tenant } from './support/workspaces';

describe('Versions marked not to be rolled back to (Tsuru’s rollback update), per cluster', () => {
  let t: TestApp;
  let ws: Tenant;
  let clusterId: string;
  let instanceId: string;
  let firstDeploy: string;

  beforeAll(async () => {
    t = await startTestApp('fleet_no_rollback');
    ws = await tenant(t, 'no-rollback');
    clusterId = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'edge', image_version: '1.0.0' }).expect(201)).body.id;
    instanceId = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: clusterId }).expect(202)).body.id;
    await eventually(async () => (await t.http.get(`${ws.base}/instances/${instanceId}`).set(ws.owner.headers)).body.status === 'running', 30_000);
    firstDeploy = (await t.http.post(`${ws.base}/instances/${instanceId}/deploys`).set(ws.owner.headers).send({ image_version: '1.1.0' }).expect(202)).body.id;
    await eventually(async () => (await t.http.get(`${ws.base}/deploys/${firstDeploy}`).set(ws.owner.headers)).body.status === 'succeeded', 30_000);
  }, 90_000);
  afterAll(async () => {
    await t.app.get(LocalProvisioner).ensureStopped(instanceId);
    await t.close();
  });

  const mark = (version: string, body: object) => t.http.post(`${ws.base}/clusters/${clusterId}/versions/${version}/no-rollback`).set(ws.owner.headers).send(body);
  const rollback = (body: object = {}) => t.http.post(`${ws.base}/instances/${instanceId}/rollback`).set(ws.owner.headers).send(body);

  it('refuses a rollback to a marked version with a 400 naming it and the reason, shows the mark on the cluster, and allows it again once unmarked', async () => {
    const marked = await mark('1.0.0', { reason: 'drops audio' }).expect(200);
    expect(marked.body.no_rollback).toEqual({ '1.0.0': 'drops audio' });
    expect((await t.http.get(`${ws.base}/clusters/${clusterId}`).set(ws.owner.headers).expect(200)).body.no_rollback).toEqual({ '1.0.0': 'drops audio' });

    const refused = await rollback().expect(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe('rollback_disabled');
    expect(refused.body.detail).toContain('1.0.0');
    expect(refused.body.detail).toContain('drops audio');
    // The refused rollback wrote nothing.
    const { rows } = await t.db.pool.query(`SELECT 1 FROM events WHERE stream_id = $1 AND type = 'DeployRequested' AND data->>'kind' = 'rollback'`, [`instance-${instanceId}`]);
    expect(rows).toEqual([]);

    await t.http.delete(`${ws.base}/clusters/${clusterId}/versions/1.0.0/no-rollback`).set(ws.owner.headers).expect(204);
    await t.http.delete(`${ws.base}/clusters/${clusterId}/versions/1.0.0/no-rollback`).set(ws.owner.headers).expect(404);
    const back = await rollback().expect(202);
    expect(back.body).toMatchObject({ image_version: '1.0.0', kind: 'rollback' });
    await eventually(async () => (await t.http.get(`${ws.base}/deploys/${back.body.id}`).set(ws.owner.headers)).body.status === 'succeeded', 30_000);
  }, 90_000);

  it('refuses a named rollback (deploy_id) to a marked version too', async () => {
    await mark('1.1.0', { reason: 'bad codec' }).expect(200);
    const refused = await rollback({ deploy_id: firstDeploy }).expect(400);
    expect(refused.body.code).toBe('rollback_disabled');
    const deploy = await t.http.post(`${ws.base}/instances/${instanceId}/deploys`).set(ws.owner.headers).send({ image_version: '1.1.0' });
    expect(deploy.status).toBe(202);
  });

  it('answers 400 naming the field for no reason or a version not in the catalog, 404 for another cluster, 403 to a member', async () => {
    const noReason = await mark('1.0.0', {}).expect(400);
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toContain('reason');
    const unknown = await mark('9.9.9', { reason: 'x' }).expect(400);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['image_version']);
    await t.http.post(`${ws.base}/clusters/00000000-0000-4000-8000-000000000000/versions/1.0.0/no-rollback`).set(ws.owner.headers).send({ reason: 'x' }).expect(404);
    const member = await memberOf(t, ws, 'member');
    await t.http.post(`${ws.base}/clusters/${clusterId}/versions/1.0.0/no-rollback`).set(member.headers).send({ reason: 'x' }).expect(403);
  });
});
