import { AddressInfo } from 'node:net';
import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { Tenant, tenant } from './support/workspaces';

/** An open server-sent event stream: what it has sent so far, and a way to wait for more. */
interface EventStream {
  status: number;
  contentType: string | null;
  text(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  close(): void;
}

async function openStream(url: string, headers: Record<string, string>): Promise<EventStream> {
  const aborter = new AbortController();
  const response = await fetch(url, { headers, signal: aborter.signal });
  let received = '';
  const reading = (async () => {
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      received += Buffer.from(value).toString('utf8');
    }
  })().catch(() => undefined);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: () => received,
    waitFor: async (pattern, timeoutMs = 10_000) => {
      await eventually(async () => pattern.test(received), timeoutMs);
    },
    close: () => {
      aborter.abort();
      void reading;
    },
  };
}

/** The `log` events of a stream's text, with their ids. */
const events = (text: string) =>
  [...text.matchAll(/id: (\d+)\nevent: log\ndata: (.*)\n\n/g)].map(([, id, data]) => ({ id, ...(JSON.parse(data) as { time: string | null; severity: string; line: string }) }));

describe('Instance logs: until, severity, and follow as server-sent events', () => {
  let t: TestApp;
  let ws: Tenant;
  let base: string;
  let instanceId: string;
  let endpoint: string;

  beforeAll(async () => {
    t = await startTestApp('fleet_logs');
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    ws = await tenant(t, 'logs');
    const clusterId = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'edge', image_version: '1.0.0' }).expect(201)).body.id;
    instanceId = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: clusterId }).expect(202)).body.id;
    endpoint = await eventually(async () => {
      const instance = (await t.http.get(`${ws.base}/instances/${instanceId}`).set(ws.owner.headers)).body;
      return instance.status === 'running' ? (instance.endpoint as string) : undefined;
    }, 30_000);
  });
  afterAll(async () => {
    await t.app.get(LocalProvisioner).ensureStopped(instanceId);
    // This test's fetch keeps its sockets open for reuse after each stream ends; the server would wait for them.
    t.app.getHttpServer().closeAllConnections();
    await t.close();
  });

  const logs = (query: Record<string, string>) => t.http.get(`${ws.base}/instances/${instanceId}/logs`).query(query).set(ws.owner.headers);
  const follow = (query = '', headers: Record<string, string> = {}) => openStream(`${base}${ws.base}/instances/${instanceId}/logs?follow=true${query}`, { ...ws.owner.headers, ...headers });

  it('each line carries its severity; severity keeps that level and worse; until ends the window', async () => {
    await fetch(`${endpoint}/no-such-page`);
    await fetch(`${endpoint}/info`);
    const all = await eventually(async () => {
      const items = (await logs({}).expect(200)).body.items as Array<{ time: string; severity: string; line: string }>;
      return items.some((i) => i.line.includes('GET /info')) ? items : undefined;
    });
    expect(all.find((i) => i.line.includes('media node listening'))).toMatchObject({ severity: 'info' });
    expect(all.find((i) => i.line.includes('GET /no-such-page'))).toMatchObject({ severity: 'warn' });

    const warnings = (await logs({ severity: 'warn' }).expect(200)).body.items;
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((i: { severity: string }) => i.severity === 'warn' || i.severity === 'error')).toBe(true);
    expect(warnings.some((i: { line: string }) => i.line.includes('GET /no-such-page'))).toBe(true);

    const info = all.find((i) => i.line.includes('GET /info'))!;
    const before = (await logs({ until: info.time }).expect(200)).body.items;
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((i: { time: string }) => i.time < info.time)).toBe(true);
    const window = (await logs({ since: all[0].time, until: info.time, search: 'no-such-page' }).expect(200)).body.items;
    expect(window.map((i: { line: string }) => JSON.parse(i.line).msg)).toEqual(['GET /no-such-page']);

    for (const [query, field] of [
      [{ severity: 'loud' }, 'severity'],
      [{ until: 'tomorrow' }, 'until'],
      [{ follow: 'yes' }, 'follow'],
      [{ follow: 'true', until: info.time }, 'until'],
    ] as const) {
      const res = await logs(query);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('follow=true streams the last lines, then each new line as an event with an id; Last-Event-ID resumes after it', async () => {
    const first = await follow('&limit=2');
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/event-stream/);
    await first.waitFor(/event: log/);
    expect(events(first.text())).toHaveLength(2);

    await fetch(`${endpoint}/written-live`);
    await first.waitFor(/written-live/);
    const seen = events(first.text());
    expect(seen).toHaveLength(3);
    expect(seen[2]).toMatchObject({ severity: 'warn', line: expect.stringContaining('"msg":"GET /written-live"') });
    expect(seen.map((e) => Number(e.id))).toEqual([...seen.map((e) => Number(e.id))].sort((a, b) => a - b));
    const lastId = seen[seen.length - 1].id;
    first.close();

    // Written while no one followed: a resumed stream starts right after the last event it saw.
    await fetch(`${endpoint}/missed-while-away`);
    const resumed = await follow('', { 'Last-Event-ID': lastId });
    await resumed.waitFor(/missed-while-away/);
    const again = events(resumed.text());
    expect(again[0]).toMatchObject({ severity: 'warn', line: expect.stringContaining('GET /missed-while-away') });
    expect(again.every((e) => Number(e.id) > Number(lastId))).toBe(true);
    resumed.close();

    const filtered = await follow('&severity=warn&limit=1000');
    await filtered.waitFor(/event: log/);
    await fetch(`${endpoint}/info?quiet=1`);
    await fetch(`${endpoint}/also-missing`);
    await filtered.waitFor(/also-missing/);
    expect(events(filtered.text()).every((e) => e.severity === 'warn' || e.severity === 'error')).toBe(true);
    filtered.close();

    const bad = await t.http.get(`${ws.base}/instances/${instanceId}/logs`).query({ follow: 'true' }).set(ws.owner.headers).set('Last-Event-ID', 'abc');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('Last-Event-ID');
  });

  it('sends a heartbeat comment on a quiet stream, and the API keeps answering after the client goes', async () => {
    const quiet = await follow('&severity=error');
    await quiet.waitFor(/: heartbeat\n\n/, 20_000);
    quiet.close();
    await logs({}).expect(200);
  }, 30_000);

  it('needs a token, and another workspace gets 404 before any stream opens', async () => {
    const anonymous = await openStream(`${base}${ws.base}/instances/${instanceId}/logs?follow=true`, {});
    expect(anonymous.status).toBe(401);
    anonymous.close();
    const other = await tenant(t, 'logs-other');
    const foreign = await openStream(`${base}${other.base}/instances/${instanceId}/logs?follow=true`, other.owner.headers);
    expect(foreign.status).toBe(404);
    expect(foreign.contentType).toMatch(/application\/problem\+json/);
    foreign.close();
  });
});
