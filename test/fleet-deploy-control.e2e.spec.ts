import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { mediaNodes } from './support/media-nodes';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { memberOf, Tenant, tenant } from './support/workspaces';

type Deploy = { id: string; status: string; image_version: string; instance_id: string; cluster_id: string; kind: string };

describe('Deploy control through HTTP: the workspace’s deploy list, one deploy with its log, cancel', () => {
  let t: TestApp;
  let ws: Tenant;
  let clusterId: string;
  const started: string[] = [];

  beforeAll(async () => {
    // Every media node takes a while to answer, so a deploy stays running long enough to cancel.
    t = await startTestApp('fleet_deploy_control', { env: { MEDIA_NODE_START_DELAY_MS: '2500' } });
    ws = await tenant(t, 'deploy-control');
    clusterId = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'edge', image_version: '1.0.0' }).expect(201)).body.id;
  });
  afterAll(async () => {
    const provisioner = t.app.get(LocalProvisioner);
    await Promise.all(started.map((id) => provisioner.ensureStopped(id)));
    await t.close();
  });

  const instance = async (id: string) => (await t.http.get(`${ws.base}/instances/${id}`).set(ws.owner.headers).expect(200)).body;
  const deploy = async (id: string) => (await t.http.get(`${ws.base}/deploys/${id}`).set(ws.owner.headers).expect(200)).body;
  const runningVersion = async (id: string) => {
    const seen = await instance(id);
    if (seen.status !== 'running') return undefined;
    const info = (await (await fetch(`${seen.endpoint}/info`)).json().catch(() => undefined)) as { version?: string } | undefined;
    return info?.version;
  };
  async function runningInstance(): Promise<string> {
    const id = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: clusterId }).expect(202)).body.id;
    started.push(id);
    await eventually(() => runningVersion(id), 30_000);
    return id;
  }
  const deployTo = async (id: string, version: string): Promise<Deploy> =>
    (await t.http.post(`${ws.base}/instances/${id}/deploys`).set(ws.owner.headers).send({ image_version: version }).expect(202)).body;

  it('lists every instance’s deploys newest first, with who asked, when it ran and for how long, and each filter narrows it', async () => {
    const first = await runningInstance();
    const second = await runningInstance();
    const a = await deployTo(first, '1.1.0');
    await eventually(async () => (await deploy(a.id)).status === 'succeeded', 30_000);
    const b = await deployTo(second, '1.1.0');
    await eventually(async () => (await deploy(b.id)).status === 'succeeded', 30_000);

    const all = (await t.http.get(`${ws.base}/deploys`).set(ws.owner.headers).expect(200)).body;
    const mine = all.items.filter((d: Deploy) => d.id === a.id || d.id === b.id).map((d: Deploy) => d.id);
    expect(mine).toEqual([b.id, a.id]);
    const one = all.items.find((d: Deploy) => d.id === a.id);
    expect(one).toMatchObject({ instance_id: first, cluster_id: clusterId, image_version: '1.1.0', from_version: '1.0.0', kind: 'deploy', status: 'succeeded', requested_by: { type: 'user', id: ws.owner.id } });
    expect(Date.parse(one.finished_at) - Date.parse(one.started_at)).toBe(one.duration_ms);
    // The media node takes 2.5 s to answer: that is part of what the deploy took.
    expect(one.duration_ms).toBeGreaterThanOrEqual(2000);

    const list = async (query: Record<string, string>) => (await t.http.get(`${ws.base}/deploys`).query(query).set(ws.owner.headers).expect(200)).body;
    expect((await list({ instance_id: first })).items.map((d: Deploy) => d.id)).toEqual([a.id]);
    expect((await list({ cluster_id: clusterId, image_version: '1.1.0' })).total).toBe(2);
    expect((await list({ image_version: '9.9.9' })).total).toBe(0);
    expect((await list({ status: 'failed' })).total).toBe(0);
    expect((await list({ page_size: '1', page: '2' })).items.map((d: Deploy) => d.id)).toEqual([a.id]);

    const detail = await deploy(a.id);
    expect(detail.log.map((l: { line: string }) => l.line)).toEqual([
      `deploy of 1.1.0 (from 1.0.0) queued by user ${ws.owner.id}`,
      'the job began replacing the instance',
      'succeeded: the new version runs',
    ]);
  }, 120_000);

  it('answers 400 naming the field for a bad filter or a cancel without reason, and 404 for a deploy the workspace does not have', async () => {
    const bad = await t.http.get(`${ws.base}/deploys`).query({ status: 'done', cluster_id: 'nope' }).set(ws.owner.headers).expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['cluster_id', 'status']);
    const noReason = await t.http.post(`${ws.base}/deploys/00000000-0000-4000-8000-000000000000/cancel`).set(ws.owner.headers).send({}).expect(400);
    expect([...new Set(noReason.body.errors.map((e: { field: string }) => e.field))]).toEqual(['reason']);
    await t.http.get(`${ws.base}/deploys/00000000-0000-4000-8000-000000000000`).set(ws.owner.headers).expect(404);
    await t.http.post(`${ws.base}/deploys/00000000-0000-4000-8000-000000000000/cancel`).set(ws.owner.headers).send({ reason: 'x' }).expect(404);
  });

  it('cancels a running deploy: the instance comes back with its previous version, one process, and the deploy never completes', async () => {
    const id = await runningInstance();
    const member = await memberOf(t, ws, 'member');
    const d = (await t.http.post(`${ws.base}/instances/${id}/deploys`).set(member.headers).send({ image_version: '1.1.0' }).expect(202)).body;
    await eventually(async () => (await deploy(d.id)).status === 'running', 20_000);

    const res = await t.http.post(`${ws.base}/deploys/${d.id}/cancel`).set(member.headers).send({ reason: 'wrong build' }).expect(202);
    expect(res.body).toMatchObject({ id: d.id, status: 'cancelled', cancel_reason: 'wrong build', finished_at: expect.any(String) });
    expect(res.body.log.at(-1).line).toBe(`cancelled while running by user ${member.id}: wrong build; the instance goes back to 1.0.0`);

    expect(await eventually(() => runningVersion(id), 30_000)).toBe('1.0.0');
    expect((await instance(id)).image_version).toBe('1.0.0');
    expect(mediaNodes(id)).toHaveLength(1);
    // Over: a second cancel is a 400, and nothing ever reports the cancelled deploy done.
    const again = await t.http.post(`${ws.base}/deploys/${d.id}/cancel`).set(member.headers).send({ reason: 'twice' }).expect(400);
    expect(again.body.code).toBe('invalid_state');
    const { rows } = await t.db.pool.query<{ type: string }>(`SELECT type FROM events WHERE stream_id = $1 AND type LIKE 'Deploy%' ORDER BY position`, [`instance-${id}`]);
    expect(rows.map((r) => r.type)).toEqual(['DeployRequested', 'DeployStarted', 'DeployCancelled']);
    expect((await deploy(d.id)).status).toBe('cancelled');
    const history = (await t.http.get(`${ws.base}/deploys/${d.id}/history`).set(ws.owner.headers).expect(200)).body.items;
    expect(history.map((e: { type: string }) => e.type)).toEqual(['DeployRequested', 'DeployStarted', 'DeployCancelled']);
    expect(history[2]).toMatchObject({ actor: { type: 'user', id: member.id }, data: { reason: 'wrong build', phase: 'running' } });
  }, 120_000);

  it('cancels a queued deploy of a stopped instance: it stays stopped and starts again with its old version', async () => {
    const id = await runningInstance();
    await t.http.post(`${ws.base}/instances/${id}/stop`).set(ws.owner.headers).expect(202);
    await eventually(async () => (await instance(id)).status === 'stopped', 20_000);
    const d = await deployTo(id, '1.1.0');
    expect((await deploy(d.id)).status).toBe('queued');

    const res = await t.http.post(`${ws.base}/deploys/${d.id}/cancel`).set(ws.owner.headers).send({ reason: 'not tonight' }).expect(202);
    expect(res.body).toMatchObject({ status: 'cancelled', started_at: null, duration_ms: null });
    expect(await instance(id)).toMatchObject({ status: 'stopped', image_version: '1.0.0' });

    await t.http.post(`${ws.base}/instances/${id}/start`).set(ws.owner.headers).expect(202);
    expect(await eventually(() => runningVersion(id), 30_000)).toBe('1.0.0');
    expect((await t.http.get(`${ws.base}/deploys`).query({ instance_id: id, status: 'cancelled' }).set(ws.owner.headers).expect(200)).body.total).toBe(1);
  }, 120_000);

  it('lets a viewer read deploys but not cancel one', async () => {
    const viewer = await memberOf(t, ws, 'viewer');
    await t.http.get(`${ws.base}/deploys`).set(viewer.headers).expect(200);
    await t.http.post(`${ws.base}/deploys/00000000-0000-4000-8000-000000000000/cancel`).set(viewer.headers).send({ reason: 'x' }).expect(403);
  });
});
