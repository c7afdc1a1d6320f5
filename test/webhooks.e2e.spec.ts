import { createHmac, timingSafeEqual } from 'node:crypto';
import { Pool } from 'pg';
import { AppConfig, PG_POOL, QueueRegistry } from '@streamplane/core';
import { EVENT_STORE, EventStore, RecordedEvent } from '@streamplane/eventstore';
import { DeliveryReactor, WEBHOOKS_QUEUE } from '@streamplane/webhooks/delivery/delivery-reactor';
import { WebhookDeliverer } from '@streamplane/webhooks/delivery/webhook-deliverer';
import { WebhookSlots } from '@streamplane/webhooks/delivery/webhook-slots';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { Received, WebhookReceiver } from './support/webhook-receiver';
import { Tenant, tenant } from './support/workspaces';

/**
 * The Standard Webhooks check a receiver runs, written here from the specification rather than
 * imported: `v1,` + base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}", keyed with
 * the base64-decoded part of the secret after `whsec_`.
 */
function verified(secret: string, got: Received): boolean {
  const id = String(got.headers['webhook-id']);
  const timestamp = String(got.headers['webhook-timestamp']);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.split('_')[1], 'base64');
  const expected = Buffer.from(`v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${got.body}`).digest('base64')}`);
  return String(got.headers['webhook-signature'])
    .split(' ')
    .some((sig) => Buffer.from(sig).length === expected.length && timingSafeEqual(Buffer.from(sig), expected));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Webhooks through HTTP: CRUD, signed deliveries to a real receiver, filters, retries, 410', () => {
  let t: TestApp;
  let ws: Tenant;
  let other: Tenant;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    // A local receiver is a loopback address: allowed here (the refusal is tested with the checker).
    t = await startTestApp('webhooks', { env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '0,300ms,300ms,300ms' } });
    [ws, other] = [await tenant(t, 'hooks'), await tenant(t, 'others')];
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const post = (path: string, body: object, who: Tenant = ws) => t.http.post(`${who.base}${path}`).set(who.owner.headers).send(body);
  const get = (path: string, who: Tenant = ws) => t.http.get(`${who.base}${path}`).set(who.owner.headers);
  const createHook = async (name: string, path: string, extra: object = {}) => (await post('/webhooks', { name, url: receiver.url(path), ...extra }).expect(201)).body;
  const group = async (name: string, who: Tenant = ws) => (await post('/groups', { group_name: name }, who).expect(201)).body.group_id as string;
  const deliveriesOf = async (webhookId: string, query: Record<string, string> = {}) => (await get(`/webhooks/${webhookId}/deliveries`).query(query).expect(200)).body;
  const parsed = (got: Received) => JSON.parse(got.body) as { type: string; timestamp: string; data: { event_id: string; type: string; target: { type: string; id: string }; position: string } };

  it('creates, reads, renames and deletes webhooks; the secret is shown once and only sealed in the log', async () => {
    const created = await createHook('crud', '/crud', { authorization_header: 'Bearer receiver-token', event_filter: { types: ['GroupCreated'] } });
    expect(created).toMatchObject({ name: 'crud', url: receiver.url('/crud'), authorization_header: 'Bearer receiver-token', event_filter: { types: ['GroupCreated'] }, is_enabled: true });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(Buffer.from(created.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);

    const one = (await get(`/webhooks/${created.id}`).expect(200)).body;
    expect(one).not.toHaveProperty('secret');
    expect(one).toMatchObject({ id: created.id, created_at: expect.any(String), disabled_reason: null });
    const list = (await get('/webhooks').expect(200)).body;
    expect(list.items.map((w: { id: string }) => w.id)).toContain(created.id);
    expect(JSON.stringify(list)).not.toContain(created.secret);

    // The log holds the secret sealed, never in clear.
    const events: RecordedEvent[] = [];
    for await (const e of t.app.get<EventStore>(EVENT_STORE).readStream(`webhook-${created.id}`)) events.push(e);
    expect(JSON.stringify(events.map((e) => [e.data, e.metadata]))).not.toContain(created.secret.slice(6));
    expect(events[0].data.sealed_secret).toMatch(/^sealed:v1:/);

    // Names are unique per workspace; another workspace may use the same one.
    expect((await post('/webhooks', { name: 'crud', url: receiver.url('/x') }).expect(409)).body.status).toBe(409);
    await post('/webhooks', { name: 'crud', url: receiver.url('/x') }, other).expect(201);

    // The Authorization header reads back in clear, but the log holds it sealed: the raw rows never show it.
    const patch = (body: object) => t.http.patch(`${ws.base}/webhooks/${created.id}`).set(ws.owner.headers).send(body);
    expect((await patch({ authorization_header: 'Bearer receiver-token' }).expect(200)).body).toMatchObject({ authorization_header: 'Bearer receiver-token', version: 1 });
    expect((await patch({ authorization_header: 'Bearer second-token' }).expect(200)).body).toMatchObject({ authorization_header: 'Bearer second-token', version: 2 });
    expect((await get(`/webhooks/${created.id}`).expect(200)).body.authorization_header).toBe('Bearer second-token');
    const raw = await t.app.get<Pool>(PG_POOL).query<{ type: string; data: string; metadata: string }>('SELECT type, data::text, metadata::text FROM events WHERE stream_id = $1 ORDER BY position', [`webhook-${created.id}`]);
    expect(raw.rows.map((r) => r.type)).toEqual(['WebhookCreated', 'WebhookUpdated']);
    const rawText = JSON.stringify(raw.rows);
    expect(rawText).not.toMatch(/receiver-token|second-token/);
    expect(raw.rows.map((r) => JSON.parse(r.data).sealed_authorization_header)).toEqual([expect.stringMatching(/^sealed:v1:/), expect.stringMatching(/^sealed:v1:/)]);
    const readModel = await t.app.get<Pool>(PG_POOL).query('SELECT * FROM read.webhooks WHERE id = $1', [created.id]);
    expect(JSON.stringify(readModel.rows)).not.toMatch(/second-token/);

    const renamed = (await patch({ name: 'crud-2', authorization_header: null }).expect(200)).body;
    expect(renamed).toMatchObject({ name: 'crud-2', authorization_header: null, version: 3 });
    await t.http.patch(`${ws.base}/webhooks/${created.id}`).set(ws.owner.headers).send({}).expect(400);
    // The old name is free again.
    const again = await createHook('crud', '/y');

    await t.http.delete(`${ws.base}/webhooks/${again.id}`).set(ws.owner.headers).expect(204);
    await get(`/webhooks/${again.id}`).expect(404);
    await createHook('crud', '/z');
    await t.http.delete(`${ws.base}/webhooks/${created.id}`).set(ws.owner.headers).expect(204);
  });

  it('refuses URLs that are not http(s) with a 400 naming url', async () => {
    for (const url of ['ftp://example.com/hook', 'file:///etc/passwd', 'https://user:pw@example.com/']) {
      const res = await post('/webhooks', { name: 'bad', url }).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
    }
    expect((await post('/webhooks', { name: 'bad', url: receiver.url('/bad'), event_filter: { types: 'GroupCreated' } }).expect(400)).body.errors[0].field).toMatch(/event_filter/);
  });

  it('delivers a matching event once, signed per Standard Webhooks, with Authorization, and logs the delivery', async () => {
    const hook = await createHook('signed', '/signed', { authorization_header: 'Bearer receiver-token', event_filter: { target_types: ['group'] } });
    const groupId = await group('signed-group');
    const [got] = await eventually(async () => receiver.on('/signed').length > 0 && receiver.on('/signed'));
    expect(verified(hook.secret, got)).toBe(true);
    expect(got.headers.authorization).toBe('Bearer receiver-token');
    expect(got.headers['content-type']).toBe('application/json');
    const body = parsed(got);
    expect(body).toMatchObject({ type: 'GroupCreated', data: { type: 'GroupCreated', target: { type: 'group', id: groupId }, event_version: 1, data: { group_name: 'signed-group' } } });
    expect(body.timestamp).toBe((body.data as unknown as { occurred_at: string }).occurred_at);

    const log = await eventually(async () => {
      const page = await deliveriesOf(hook.id);
      return page.items[0]?.status === 'succeeded' && page;
    });
    expect(log.total).toBe(1);
    expect(log.items[0]).toMatchObject({ id: got.headers['webhook-id'], event_id: body.data.event_id, event_type: 'GroupCreated', status: 'succeeded', next_attempt_at: null });
    expect(log.items[0].attempts).toEqual([{ n: 1, at: expect.any(String), status_code: 200, duration_ms: expect.any(Number), error: null }]);
    expect((await deliveriesOf(hook.id, { status: 'failed' })).total).toBe(0);
    expect((await deliveriesOf(hook.id, { event_id: body.data.event_id })).total).toBe(1);

    // Handling the event again (a replay, a restarted reactor, a job run twice) sends nothing more.
    const reactor = t.app.get(DeliveryReactor);
    const events: RecordedEvent[] = [];
    for await (const e of t.app.get<EventStore>(EVENT_STORE).readStream(`group-${groupId}`)) events.push(e);
    const client = await t.app.get<Pool>(PG_POOL).connect();
    try {
      await reactor.process(client, events);
    } finally {
      client.release();
    }
    const job = { delivery_id: log.items[0].id, webhook_id: hook.id, workspace_id: ws.workspaceId, event_id: body.data.event_id, event_position: body.data.position, n: 1 };
    expect(await t.app.get(WebhookDeliverer).deliver(job)).toBe('skipped');
    await sleep(500);
    expect(receiver.on('/signed')).toHaveLength(1);
  });

  it('filters by type, target and errors, and never crosses workspaces', async () => {
    const keep = await group('kept');
    const byType = await createHook('by-type', '/by-type', { event_filter: { types: ['GroupDeleted'] } });
    const byTarget = await createHook('by-target', '/by-target', { event_filter: { target_ids: [keep] } });
    await createHook('errors', '/errors', { event_filter: { error_only: true } });
    const dropped = await group('dropped');
    await t.http.patch(`${ws.base}/groups/${keep}`).set(ws.owner.headers).send({ description: 'changed' }).expect(200);
    await t.http.delete(`${ws.base}/groups/${dropped}`).set(ws.owner.headers).expect(204);
    await group('elsewhere', other);

    await eventually(async () => receiver.on('/by-type').length >= 1 && receiver.on('/by-target').length >= 1);
    await sleep(700);
    expect(receiver.on('/by-type').map((r) => [parsed(r).type, parsed(r).data.target.id])).toEqual([['GroupDeleted', dropped]]);
    expect(receiver.on('/by-target').map((r) => [parsed(r).type, parsed(r).data.target.id])).toEqual([['GroupUpdated', keep]]);
    expect(receiver.on('/errors')).toEqual([]);
    // Nothing of the other workspace reached this one's webhooks; its own unfiltered one got its group.
    expect(receiver.received.filter((r) => r.path !== '/x' && r.body.includes(other.workspaceId))).toEqual([]);
    await eventually(async () => receiver.on('/x').some((r) => parsed(r).type === 'GroupCreated' && r.body.includes('elsewhere')));
    expect(receiver.on('/x').every((r) => r.body.includes(other.workspaceId) && !r.body.includes(ws.workspaceId))).toBe(true);
    expect((await deliveriesOf(byType.id)).total).toBe(1);
    expect((await deliveriesOf(byTarget.id)).total).toBe(1);
  });

  it('retries failures on the schedule with the same webhook-id, then succeeds; Retry-After is respected', async () => {
    receiver.answer('/flaky', (_req, hits) => ({ status: hits <= 2 ? 500 : 204 }));
    receiver.answer('/busy', (_req, hits) => (hits === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    const flaky = await createHook('flaky', '/flaky', { event_filter: { types: ['GroupCreated'] } });
    const busy = await createHook('busy', '/busy', { event_filter: { types: ['GroupCreated'] } });
    await group('retried');

    const log = await eventually(async () => {
      const page = await deliveriesOf(flaky.id);
      return page.items[0]?.status === 'succeeded' && page;
    });
    const hits = receiver.on('/flaky');
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((h) => h.headers['webhook-id']))).toEqual(new Set([log.items[0].id]));
    expect(hits.every((h) => verified(flaky.secret, h))).toBe(true);
    expect(log.items[0].attempts.map((a: { n: number; status_code: number; error: string | null }) => [a.n, a.status_code, a.error?.slice(0, 8) ?? null])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, 500, 'HTTP 500'],
      [3, 204, null],
    ]);
    expect(hits[1].at - hits[0].at).toBeGreaterThanOrEqual(250);

    const busyLog = await eventually(async () => {
      const page = await deliveriesOf(busy.id);
      return page.items[0]?.status === 'succeeded' && page;
    });
    const busyHits = receiver.on('/busy');
    expect(busyHits).toHaveLength(2);
    expect(busyHits[1].at - busyHits[0].at).toBeGreaterThanOrEqual(1900);
    expect(busyLog.items[0].attempts.map((a: { status_code: number }) => a.status_code)).toEqual([429, 200]);
  });

  it('gives up after the last scheduled attempt', async () => {
    receiver.answer('/down', () => ({ status: 500 }));
    const down = await createHook('down', '/down', { event_filter: { types: ['GroupCreated'] } });
    await group('never-delivered');
    const log = await eventually(async () => {
      const page = await deliveriesOf(down.id);
      return page.items[0]?.status === 'failed' && page;
    }, 10_000);
    expect(log.items[0].attempts).toHaveLength(4);
    expect(log.items[0].next_attempt_at).toBeNull();
    await sleep(700);
    expect(receiver.on('/down')).toHaveLength(4);
    // The webhook itself stays enabled: only 410 (or, later, days of failures) disables it.
    expect((await get(`/webhooks/${down.id}`).expect(200)).body.is_enabled).toBe(true);
  });

  it('410 Gone disables the webhook at once; enabled again, it receives new events only', async () => {
    receiver.answer('/gone', () => ({ status: 410 }));
    const gone = await createHook('gone', '/gone', { event_filter: { types: ['GroupCreated'] } });
    await group('first');
    const disabled = await eventually(async () => {
      const view = (await get(`/webhooks/${gone.id}`).expect(200)).body;
      return view.is_enabled === false && view;
    });
    expect(disabled.disabled_reason).toBe('gone');
    const log = await deliveriesOf(gone.id);
    expect(log.items).toEqual([expect.objectContaining({ status: 'failed', attempts: [expect.objectContaining({ n: 1, status_code: 410 })] })]);

    await group('while-disabled');
    await sleep(700);
    expect(receiver.on('/gone')).toHaveLength(1);

    receiver.answer('/gone', () => ({ status: 200 }));
    await t.http.patch(`${ws.base}/webhooks/${gone.id}`).set(ws.owner.headers).send({ is_enabled: true }).expect(200);
    const afterId = await group('after-enabling');
    await eventually(async () => receiver.on('/gone').length === 2);
    await sleep(500);
    expect(receiver.on('/gone').map((r) => parsed(r).data.target.id)).toEqual([expect.any(String), afterId]);
  });

  it('rotate-secret answers a new secret once; both secrets sign (space-separated) meanwhile', async () => {
    const hook = await createHook('rotated', '/rotated', { event_filter: { types: ['GroupCreated'] } });
    const rotated = (await post(`/webhooks/${hook.id}/rotate-secret`, {}).expect(200)).body;
    expect(rotated).toEqual({ secret: expect.stringMatching(/^whsec_/) });
    expect(rotated.secret).not.toBe(hook.secret);
    expect((await get(`/webhooks/${hook.id}`).expect(200)).body.version).toBe(2);
    await group('after-rotation');
    const [got] = await eventually(async () => receiver.on('/rotated').length > 0 && receiver.on('/rotated'));
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verified(rotated.secret, got)).toBe(true);
    expect(verified(hook.secret, got)).toBe(true);
    // Under an Idempotency-Key the secret is not stored: a replay answers 409 instead of it.
    const key = `rotate-${hook.id}`;
    await t.http.post(`${ws.base}/webhooks/${hook.id}/rotate-secret`).set(ws.owner.headers).set('Idempotency-Key', key).send({}).expect(200);
    await t.http.post(`${ws.base}/webhooks/${hook.id}/rotate-secret`).set(ws.owner.headers).set('Idempotency-Key', key).send({}).expect(409);
  });

  it('redelivers a finished delivery as its next attempt, with the same webhook-id; a pending one is refused', async () => {
    receiver.answer('/redelivered', (_req, hits) => ({ status: hits <= 4 ? 500 : 200 }));
    const hook = await createHook('redelivered', '/redelivered', { event_filter: { types: ['GroupCreated'] } });
    await group('redelivered-group');
    const failed = await eventually(async () => {
      const page = await deliveriesOf(hook.id);
      return page.items[0]?.status === 'failed' && page.items[0];
    }, 10_000);
    expect(failed.attempts).toHaveLength(4);

    await post(`/webhooks/${hook.id}/deliveries/${failed.id}/redeliver`, {}).expect(202, { delivery_id: failed.id });
    const done = await eventually(async () => {
      const page = await deliveriesOf(hook.id);
      return page.items[0]?.status === 'succeeded' && page.items[0];
    });
    expect(done.attempts.map((a: { n: number; status_code: number }) => [a.n, a.status_code])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 500],
      [5, 200],
    ]);
    const hits = receiver.on('/redelivered');
    expect(hits).toHaveLength(5);
    expect(new Set(hits.map((h) => h.headers['webhook-id']))).toEqual(new Set([failed.id]));
    expect(verified(hook.secret, hits[4])).toBe(true);

    // Unknown, or another webhook's: 404 alike.
    const otherHook = await createHook('not-its-owner', '/unused', { event_filter: { types: ['NothingEver'] } });
    const notFound = (await post(`/webhooks/${otherHook.id}/deliveries/${failed.id}/redeliver`, {}).expect(404)).body;
    expect(notFound.detail ?? notFound.title).toBeDefined();
    await post(`/webhooks/${hook.id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`, {}).expect(404);

    // A delivery still being attempted is not sent twice at once.
    receiver.answer('/slow-retry', () => ({ status: 503, headers: { 'retry-after': '30' } }));
    const pendingHook = await createHook('pending', '/slow-retry', { event_filter: { types: ['GroupCreated'] } });
    await group('pending-group');
    const pending = await eventually(async () => (await deliveriesOf(pendingHook.id)).items[0]);
    expect(pending.status).toBe('pending');
    expect(Date.parse(pending.next_attempt_at) - Date.now()).toBeGreaterThan(20_000);
    expect((await post(`/webhooks/${pendingHook.id}/deliveries/${pending.id}/redeliver`, {}).expect(400)).body.detail).toMatch(/still being attempted/);
    await t.http.delete(`${ws.base}/webhooks/${pendingHook.id}`).set(ws.owner.headers).expect(204);
  });

  it('disabling or deleting a webhook ends its pending deliveries at once; their queued attempts send nothing', async () => {
    receiver.answer('/paused', () => ({ status: 503, headers: { 'retry-after': '60' } }));
    receiver.answer('/doomed', () => ({ status: 503, headers: { 'retry-after': '60' } }));
    const paused = await createHook('paused', '/paused', { event_filter: { types: ['GroupCreated'] } });
    const doomed = await createHook('doomed', '/doomed', { event_filter: { types: ['GroupCreated'] } });
    await group('stopped-group');
    const pendingOf = async (webhookId: string) => eventually(async () => {
      const item = (await deliveriesOf(webhookId)).items[0];
      return item?.status === 'pending' && item;
    });
    const [pausedDelivery, doomedDelivery] = [await pendingOf(paused.id), await pendingOf(doomed.id)];
    expect(Date.parse(pausedDelivery.next_attempt_at) - Date.now()).toBeGreaterThan(30_000);

    // Disabled: the delivery is failed at once, its last attempt saying why, and nothing more is sent.
    await t.http.patch(`${ws.base}/webhooks/${paused.id}`).set(ws.owner.headers).send({ is_enabled: false }).expect(200);
    const ended = await eventually(async () => {
      const item = (await deliveriesOf(paused.id)).items[0];
      return item.status === 'failed' && item;
    }, 5000);
    expect(ended).toMatchObject({ id: pausedDelivery.id, next_attempt_at: null });
    expect(ended.attempts.map((a: { n: number; status_code: number | null; error: string }) => [a.n, a.status_code, a.error])).toEqual([
      [1, 503, 'HTTP 503'],
      [2, null, 'the webhook is disabled'],
    ]);

    // Deleted: its deliveries are no longer shown; the read model ends them too.
    await t.http.delete(`${ws.base}/webhooks/${doomed.id}`).set(ws.owner.headers).expect(204);
    await get(`/webhooks/${doomed.id}/deliveries`).expect(404);
    const pool = t.app.get<Pool>(PG_POOL);
    const row = await eventually(async () => {
      const { rows } = await pool.query('SELECT status, attempts, next_attempt_at FROM read.webhook_deliveries WHERE id = $1', [doomedDelivery.id]);
      return rows[0].status !== 'pending' && rows[0];
    }, 5000);
    expect(row).toMatchObject({ status: 'failed', next_attempt_at: null });
    expect(row.attempts.at(-1)).toMatchObject({ n: 2, status_code: null, error: 'the webhook was deleted' });

    // The attempts that were still queued for later run now and send nothing.
    const queue = t.app.get(QueueRegistry).queue(WEBHOOKS_QUEUE);
    for (const id of [pausedDelivery.id, doomedDelivery.id]) {
      const job = await queue.getJob(`delivery.${id}.2`);
      expect(await job!.getState()).toBe('delayed');
      await job!.promote();
    }
    await eventually(async () => {
      const states = await Promise.all([pausedDelivery.id, doomedDelivery.id].map(async (id) => (await queue.getJob(`delivery.${id}.2`))!.getState()));
      return states.every((state) => state === 'completed');
    }, 5000);
    expect((await queue.getJob(`delivery.${doomedDelivery.id}.2`))!.returnvalue).toBe('skipped');
    await sleep(300);
    expect(receiver.on('/paused')).toHaveLength(1);
    expect(receiver.on('/doomed')).toHaveLength(1);
    expect((await deliveriesOf(paused.id)).items[0].attempts).toHaveLength(2);
  });

  it('a host that resolves to a private address by the time of sending is refused then, and nothing is sent', async () => {
    const port = new URL(receiver.url('/')).port;
    // Written while private hosts are allowed; by the attempt, the deliverer no longer allows them (as if DNS changed).
    const hook = await createHook('rebound', '/unused', { url: `http://localhost:${port}/rebound`, event_filter: { types: ['GroupCreated'] } });
    const deliverer = t.app.get(WebhookDeliverer) as unknown as { config: AppConfig };
    const config = deliverer.config;
    deliverer.config = { ...config, webhooks: { ...config.webhooks, allowPrivate: false } };
    try {
      await group('rebound-group');
      const first = await eventually(async () => (await deliveriesOf(hook.id)).items[0]?.attempts[0]);
      expect(first).toMatchObject({ n: 1, status_code: null, error: expect.stringMatching(/^url resolves to (127\.0\.0\.1|::1), a loopback, private or link-local address$/) });
    } finally {
      deliverer.config = config;
    }
    expect(receiver.on('/rebound')).toEqual([]);
  });

  it('a webhook failing for five days (by the deliverer’s clock) is disabled; enabled again, it starts afresh', async () => {
    receiver.answer('/failing', (_req, hits) => ({ status: hits <= 2 ? 500 : 200 }));
    const hook = await createHook('failing', '/failing', { event_filter: { types: ['GroupCreated'] } });
    const deliverer = t.app.get(WebhookDeliverer) as unknown as { clock: { now(): Date } };
    const realClock = deliverer.clock;
    // The first attempt fails now (the streak starts); the retry fails too, by the deliverer's clock five days on.
    let offset = 0;
    deliverer.clock = { now: () => new Date(Date.now() + offset) };
    try {
      await group('five-days');
      await eventually(async () => receiver.on('/failing').length === 1);
      offset = 5 * 24 * 3600 * 1000 + 60_000;
      const disabled = await eventually(async () => {
        const view = (await get(`/webhooks/${hook.id}`).expect(200)).body;
        return view.is_enabled === false && view;
      });
      expect(disabled.disabled_reason).toBe('failing');
    } finally {
      deliverer.clock = realClock;
    }
    // The retry after the disabling sends nothing and ends the delivery.
    const log = await eventually(async () => {
      const page = await deliveriesOf(hook.id);
      return page.items[0]?.status === 'failed' && page.items[0];
    });
    expect(log.attempts.at(-1)).toMatchObject({ status_code: null, error: 'the webhook is disabled' });
    expect(receiver.on('/failing')).toHaveLength(2);

    await t.http.patch(`${ws.base}/webhooks/${hook.id}`).set(ws.owner.headers).send({ is_enabled: true }).expect(200);
    const before = receiver.on('/failing').length;
    await group('fresh-start');
    await eventually(async () => receiver.on('/failing').length === before + 1);
    expect((await get(`/webhooks/${hook.id}`).expect(200)).body).toMatchObject({ is_enabled: true, disabled_reason: null });
  });

  it('after Redis lost the queue, the pending deliveries’ next attempts come back from the read model', async () => {
    receiver.answer('/lost', (_req, hits) => (hits === 1 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 }));
    const hook = await createHook('lost', '/lost', { event_filter: { types: ['GroupCreated'] } });
    await group('lost-queue');
    await eventually(async () => (await deliveriesOf(hook.id)).items[0]?.status === 'pending');
    await t.app.get(QueueRegistry).queue(WEBHOOKS_QUEUE).obliterate({ force: true });
    await sleep(1500);
    expect(receiver.on('/lost')).toHaveLength(1);
    expect(await t.app.get(WebhookDeliverer).reconcile()).toBeGreaterThanOrEqual(1);
    const done = await eventually(async () => {
      const page = await deliveriesOf(hook.id);
      return page.items[0]?.status === 'succeeded' && page.items[0];
    });
    expect(done.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([503, 200]);
    expect(receiver.on('/lost')).toHaveLength(2);
  });

  it('bounds the attempts in flight per webhook: a slow receiver never starves the others', async () => {
    receiver.answer('/slow', () => ({ status: 200, delayMs: 1500 }));
    await createHook('slow', '/slow', { event_filter: { types: ['GroupCreated'] } });
    await createHook('fast', '/fast', { event_filter: { types: ['GroupCreated'] } });
    const count = 24;
    // At once, so a slow machine's HTTP does not spread the crowd over the time the slow ones take.
    await Promise.all(Array.from({ length: count }, (_, i) => group(`crowd-${i}`)));
    // 24 slow deliveries would fill the 16 worker slots for 1.5 s each without the bound.
    await eventually(async () => receiver.on('/fast').length === count, 5000);
    expect(receiver.on('/slow').length).toBeLessThan(count);
    expect(receiver.mostAtOnce.get('/slow')).toBeLessThanOrEqual(4);
    await eventually(async () => receiver.on('/slow').length === count, 30_000);
    expect(receiver.mostAtOnce.get('/slow')).toBeLessThanOrEqual(4);
  }, 60_000);

  it('the bound holds across worker processes: slots leased elsewhere (in Redis) hold this process’s attempts back', async () => {
    const hook = await createHook('shared-bound', '/shared-bound', { event_filter: { types: ['GroupCreated'] } });
    const slots = t.app.get(WebhookSlots);
    // Another worker process holds all 4 of the webhook's slots.
    const elsewhere = await Promise.all([1, 2, 3, 4].map((n) => slots.take(hook.id, `other-process.${n}`)));
    expect(elsewhere).toEqual(['other-process.1', 'other-process.2', 'other-process.3', 'other-process.4']);
    expect(await slots.take(hook.id, 'one-too-many')).toBeUndefined();
    try {
      await group('held-back');
      await sleep(1000);
      expect(receiver.on('/shared-bound')).toEqual([]);
      // One slot given back there: the waiting attempt goes through here.
      await slots.release(hook.id, 'other-process.1');
      await eventually(async () => receiver.on('/shared-bound').length === 1, 5000);
    } finally {
      await Promise.all([2, 3, 4].map((n) => slots.release(hook.id, `other-process.${n}`)));
    }
    // Every lease of the attempt was given back.
    expect(await Promise.all([1, 2, 3, 4].map((n) => slots.take(hook.id, `check.${n}`)))).toEqual(['check.1', 'check.2', 'check.3', 'check.4']);
    await Promise.all([1, 2, 3, 4].map((n) => slots.release(hook.id, `check.${n}`)));
  });

  it('recover {since} delivers every matching event since then again: redelivered, or sent for the first time', async () => {
    const since = new Date(Date.now() - 5).toISOString();
    const before = await group('before-the-hook');
    const hook = await createHook('recovering', '/recovering', { event_filter: { types: ['GroupCreated'] } });
    const after = await group('after-the-hook');
    await eventually(async () => (await deliveriesOf(hook.id)).items[0]?.status === 'succeeded');
    expect(receiver.on('/recovering').map((r) => parsed(r).data.target.id)).toEqual([after]);

    await post(`/webhooks/${hook.id}/recover`, { since: 'yesterday' }).expect(400);
    // The walk starts near `since` (found by recording time), not at the log's start.
    const { store } = t.app.get(WebhookDeliverer) as unknown as { store: EventStore };
    const walks = jest.spyOn(store, 'readAll');
    let calls: Parameters<EventStore['readAll']>[] = [];
    try {
      await post(`/webhooks/${hook.id}/recover`, { since }).expect(202, { id: hook.id });
      await eventually(async () => receiver.on('/recovering').length === 3);
    } finally {
      calls = [...walks.mock.calls];
      walks.mockRestore();
    }
    const walk = calls.map(([options]) => options).find((options) => options?.after !== undefined && options.maxCount === undefined);
    expect(walk?.after).toBeGreaterThan(0n);
    let skipped = 0;
    for await (const event of store.readAll({ maxCount: 10_000 })) {
      if (event.position > walk!.after!) break;
      expect(event.recordedAt.getTime()).toBeLessThan(Date.parse(since));
      skipped++;
    }
    // The workspaces, users and webhooks written before `since` are not walked again.
    expect(skipped).toBeGreaterThan(5);
    await sleep(500);
    const ids = receiver.on('/recovering').map((r) => parsed(r).data.target.id);
    expect(ids).toHaveLength(3);
    expect(ids.slice(1).sort()).toEqual([after, before].sort());
    const log = await eventually(async () => {
      const page = await deliveriesOf(hook.id);
      return page.total === 2 && page.items.every((d: { status: string }) => d.status === 'succeeded') && page;
    });
    const attemptsOf = (groupId: string) => log.items.find((d: { id: string }) => receiver.on('/recovering').some((r) => r.headers['webhook-id'] === d.id && parsed(r).data.target.id === groupId)).attempts.length;
    expect([attemptsOf(after), attemptsOf(before)]).toEqual([2, 1]);
  });
});
