import { randomUUID } from 'node:crypto';
import { CommandPipeline } from '@streamplane/core';
import { InstanceSlots } from '@streamplane/fleet/commands/instance-slots';
import { instances } from '@streamplane/fleet/domain/instance.decider';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { tenant } from './support/workspaces';

const GRACE_SECONDS = 2;

describe('Fleet through HTTP: a request that died between its slot and its instance does not hold the slot forever', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('fleet_slot_reclaim', { env: { INSTANCE_SLOT_GRACE_SECONDS: String(GRACE_SECONDS) } });
  });
  afterAll(async () => {
    await t.close(); // stops every media node of this install
  });

  const typesOf = async (stream: string) => (await t.db.pool.query<{ type: string }>(`SELECT type FROM events WHERE stream_id = $1 ORDER BY position`, [stream])).rows.map((r) => r.type);

  it('gives the slot and the routing key back after the grace period, and the dead request can never write its instance late', async () => {
    const ws = await tenant(t, 'reclaim');
    const cluster = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'c', image_version: '1.0.0' }).expect(201)).body.id;
    const limit = (await t.http.post(`${ws.base}/limit-requests`).set(ws.owner.headers).send({ desired_limit: 1, reason: 'test' }).expect(201)).body;
    await t.http.post(`/v1/admin/limit-requests/${limit.id}/approve`).set(t.admin).expect(200);

    // The crash: the request's first two steps ran (slot, routing key), its process died before the instance.
    const commands = t.app.get(InstanceSlots);
    const ghost = randomUUID();
    const key = `ghost-${Date.now()}`;
    await commands.takeSlot(ws.workspaceId, ghost, 1, key);
    await commands.reserveRoutingKey(key, ghost);

    const create = () => t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: cluster, routing_key: key });
    // Within the grace the slot still counts: it may be a request in flight.
    expect((await create()).status).toBe(403);

    const created = await eventually(async () => {
      const res = await create();
      if (res.status !== 403) return res;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return undefined;
    }, 15_000);
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ status: 'pending', routing_key: key });

    const slots = (await t.db.pool.query<{ type: string; data: { instance_id: string; at: string; taken_at?: string } }>(`SELECT type, data FROM events WHERE stream_id = $1 ORDER BY position`, [`instance_slots-${ws.workspaceId}`])).rows;
    expect(slots.map((e) => `${e.type} ${e.data.instance_id}`)).toEqual([`InstanceSlotTaken ${ghost}`, `InstanceSlotReclaimed ${ghost}`, `InstanceSlotTaken ${created.body.id}`]);
    const reclaimed = slots[1].data;
    expect(new Date(reclaimed.at).getTime() - new Date(reclaimed.taken_at!).getTime()).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000);
    expect(await typesOf(`instance-${ghost}`)).toEqual(['InstanceRequestAbandoned']);

    // The dead request, had it only been slow, cannot write its instance now: it would overshoot the limit.
    const config = { cluster_id: cluster, name: null, machine_type: 'xsmall', location: 'eu_central', routing_key: key, image_version: '1.0.0' };
    await expect(t.app.get(CommandPipeline).decide(instances, ghost, { type: 'Request', instanceId: ghost, workspaceId: ws.workspaceId, config }, { workspaceId: ws.workspaceId })).rejects.toThrow(/given up/);
    expect((await t.http.get(`${ws.base}/instances/count`).set(ws.owner.headers).expect(200)).body).toEqual({ count: 1 });

    // Let its deploy finish before the app closes, so no media node starts after the cleanup.
    await eventually(async () => (await t.http.get(`${ws.base}/instances/${created.body.id}`).set(ws.owner.headers)).body.status === 'running', 30_000);
  });
});
