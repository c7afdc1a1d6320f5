import { randomUUID } from 'node:crypto';
import { CheckpointStore, CLOCK, Clock } from '@streamplane/core';
import { EVENT_STORE, EventStore, JsonObject, RecordedEvent } from '@streamplane/eventstore';
import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { MeteringJobs } from '@streamplane/metering/jobs/metering-jobs';
import { RUN_TRACKER } from '@streamplane/metering/queries/meter-directory';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { Tenant, tenant } from './support/workspaces';

const source = (name: string) => ({ name, data: { reference: `file:///media/${name}.mp4` }, event_handler: {} });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Metering through HTTP: usage events from runs, rollups, billing', () => {
  let t: TestApp;
  let ws: Tenant;
  let store: EventStore;
  let jobs: MeteringJobs;
  const instanceIds: string[] = [];

  beforeAll(async () => {
    // A tick every hour: the test drives ticks itself, so what each one records is known.
    t = await startTestApp('metering', { env: { METERING_INTERVAL_SECONDS: '3600', FREE_TIER_SECONDS: '2' } });
    ws = await tenant(t, 'metering');
    store = t.app.get<EventStore>(EVENT_STORE);
    jobs = t.app.get(MeteringJobs);
  });
  afterAll(async () => {
    await Promise.all(instanceIds.map((id) => t.app.get(LocalProvisioner).ensureStopped(id)));
    await t.close();
  });

  const get = (path: string, query: Record<string, string> = {}) => t.http.get(`${ws.base}${path}`).query(query).set(ws.owner.headers);
  const eventsOf = async (stream: string) => {
    const events: RecordedEvent[] = [];
    for await (const event of store.readStream(stream)) events.push(event);
    return events;
  };
  const usageOf = async (subjectId: string) => (await eventsOf(`usage-${subjectId}`)).filter((e) => e.type === 'UsageRecorded');

  /** Takes one stream off the queue as a handler would, and returns its id. */
  async function takenStream(name: string): Promise<string> {
    const { stream_id } = (await t.http.post(`${ws.base}/streams`).set(ws.owner.headers).send(source(name)).expect(201)).body;
    const taken = await t.http.post(`${ws.base}/queue/take`).set(ws.owner.headers).send({ limit: 1, filters: { stream_ids: [stream_id] } }).expect(200);
    expect(taken.body.items.map((s: { stream_id: string }) => s.stream_id)).toEqual([stream_id]);
    return stream_id;
  }

  /**
   * Waits for the run tracker to have opened the subject's meter and moved its checkpoint past it: a
   * tick records only up to the first event the tracker has not read, so before that it records nothing.
   */
  const meterStarted = (subjectId: string) =>
    eventually(async () => {
      const started = (await eventsOf(`usage-${subjectId}`)).find((e) => e.type === 'UsageMeteringStarted');
      const tracker = await t.app.get(CheckpointStore).get(RUN_TRACKER);
      return started !== undefined && tracker !== undefined && tracker !== null && tracker.position >= started.position;
    });

  it('meters a stream from its take to its end: ticks in between, the last partial stretch at once, no hole, no overlap', async () => {
    const id = await takenStream('metered');
    await meterStarted(id);
    await sleep(300);
    // A scheduled tick has one time (when it was due): run again, it finds that time recorded.
    const due = Date.now();
    expect(await jobs.tick({ id: 'tick-1', timestamp: due })).toBe(1);
    await sleep(100);
    expect(await jobs.tick({ id: 'tick-1', timestamp: due })).toBe(0);
    await sleep(200);
    await jobs.tick({ id: 'tick-2' });
    await t.http.post(`${ws.base}/queue/feedback`).set(ws.owner.headers).send({ streams: [{ stream_id: id, status: 'done' }] }).expect(200);
    const stretches = await eventually(async () => {
      const recorded = await usageOf(id);
      return recorded.some((e) => e.data.final) && recorded;
    });

    const history = await eventsOf(`stream-${id}`);
    const takenAt = history.find((e) => e.type === 'StreamTaken')!.data.at;
    const doneAt = history.find((e) => e.type === 'StreamCompleted')!.data.at;
    expect(stretches.length).toBe(3);
    expect(stretches[0].data.from).toBe(takenAt);
    for (let i = 1; i < stretches.length; i++) expect(stretches[i].data.from).toBe(stretches[i - 1].data.to);
    expect(stretches[stretches.length - 1].data.to).toBe(doneAt);
    const seconds = stretches.reduce((sum, e) => sum + Number(e.data.seconds), 0);
    expect(seconds).toBeCloseTo((Date.parse(String(doneAt)) - Date.parse(String(takenAt))) / 1000, 2);
    // The rates of the built-in catalog are written into every stretch.
    expect(stretches[0].data).toMatchObject({ subject_type: 'stream', subject_id: id, workspace_id: ws.workspaceId, watts: 8, pue: 1, emission_factor_g_per_kwh: 380, unit_price_per_hour: 0.01, currency: 'USD' });

    // A tick after the end (or the same tick retried) records nothing more.
    await jobs.tick({ id: 'tick-3' });
    await jobs.tick({ id: 'tick-2' });
    expect(await usageOf(id)).toHaveLength(3);
  });

  it('answers usage from the rollup: totals, group_by and windows', async () => {
    const report = await eventually(async () => {
      const body = (await get('/usage/current').expect(200)).body;
      return body.totals.units >= 1 && body;
    });
    expect(report).toMatchObject({ window: { from: expect.any(String), to: expect.any(String) }, totals: { currency: 'USD' }, updated_at: expect.any(String) });
    expect(report.totals.seconds).toBeGreaterThan(0.5);
    expect(report.totals.energy_kwh).toBeCloseTo((8 * report.totals.seconds) / 3.6e6, 8); // each stretch rounds its kWh to 1e-9

    const bySubject = (await get('/usage/global', { group_by: 'subject', window: 'day', tz: 'Europe/Warsaw' }).expect(200)).body;
    expect(bySubject.window.from).toBeNull();
    expect(bySubject.items.length).toBeGreaterThanOrEqual(1);
    expect(bySubject.items[0]).toMatchObject({ key: expect.any(String), window_start: expect.any(String), units: 1 });
    // A day in Warsaw starts at 22:00 or 23:00 UTC.
    expect(new Date(bySubject.items[0].window_start).getUTCHours()).toBeGreaterThanOrEqual(22);
    const summed = bySubject.items.reduce((sum: number, item: { seconds: number }) => sum + item.seconds, 0);
    expect(summed).toBeCloseTo(bySubject.totals.seconds, 3);

    const streamsOnly = (await get('/usage/global', { subject_type: 'instance' }).expect(200)).body;
    expect(streamsOnly.totals.units).toBe(0);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['/usage/weekly', {}, 'mode'],
      ['/usage/current', { window: 'week' }, 'window'],
      ['/usage/current', { group_by: 'colour' }, 'group_by'],
      ['/usage/current', { tz: 'Mars/Olympus_Mons' }, 'tz'],
      ['/usage/current', { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'from'],
      ['/usage/current', { from: 'yesterday' }, 'from'],
      ['/units', { running: 'maybe' }, 'running'],
    ];
    for (const [path, query, field] of cases) {
      const res = await get(path, query);
      expect({ path, query, status: res.status }).toEqual({ path, query, status: 400 });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('meters an instance while it runs, at its machine type and location', async () => {
    const cluster = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'metered', image_version: '1.0.0' }).expect(201)).body.id;
    const instance = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: cluster, name: 'edge-1', machine_type: 'small', location: 'eu_north' }).expect(202)).body;
    instanceIds.push(instance.id);
    await eventually(async () => (await get(`/instances/${instance.id}`)).body.status === 'running', 30_000);
    await meterStarted(instance.id);
    await sleep(200);
    await t.http.post(`${ws.base}/instances/${instance.id}/stop`).set(ws.owner.headers).expect(202);
    const [stretch] = await eventually(async () => {
      const recorded = await usageOf(instance.id);
      return recorded.some((e) => e.data.final) && recorded;
    });
    expect(stretch.data).toMatchObject({ subject_type: 'instance', cluster_id: cluster, machine_type: 'small', location: 'eu_north', watts: 22, emission_factor_g_per_kwh: 30, unit_price_per_hour: 0.04 });

    const units = await eventually(async () => {
      const body = (await get('/units', { subject_type: 'instance' }).expect(200)).body;
      return body.items.length === 1 && body.items[0].status === 'stopped' && body;
    });
    expect(units.items[0]).toMatchObject({ subject_id: instance.id, name: 'edge-1', ended_at: expect.any(String) });
    expect(units.items[0].seconds).toBeCloseTo(Number(stretch.data.seconds), 3);
    // A page past the end still says how many there are.
    expect((await get('/units', { subject_type: 'instance', page: '5' }).expect(200)).body).toMatchObject({ items: [], page: 5, total: 1 });
  });

  it('bills the month so far after the free tier, which the month’s first seconds use up', async () => {
    const used = (await get('/usage/current').expect(200)).body.totals;
    const current = (await get('/billing/current').expect(200)).body;
    expect(current).toMatchObject({ currency: 'USD', free_tier_seconds: 2 });
    expect(current.period_start).toMatch(/-01T00:00:00.000Z$/);
    expect(current.free_tier_seconds_left).toBeCloseTo(Math.max(0, 2 - used.seconds), 2);
    expect(current.has_surpassed_free_tier).toBe(used.seconds >= 2);
    // What is charged is the cost of the seconds past the tier: at most the whole cost, never below zero.
    expect(current.amount).toBeGreaterThanOrEqual(0);
    expect(current.amount).toBeLessThanOrEqual(Math.round(used.cost * 100) / 100 + 0.005);
  });

  it('a correction is an event that counts in usage, the open statement and its events', async () => {
    const [stream] = (await get('/units', { subject_type: 'stream' }).expect(200)).body.items;
    const before = (await get('/usage/global').expect(200)).body.totals.seconds;
    const res = await t.http
      .post(`/v1/admin/workspaces/${ws.workspaceId}/usage-corrections`)
      .set(t.admin)
      .send({ subject_id: stream.subject_id, from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z', seconds_delta: 600, reason: 'handler outage credit' });
    expect(res.status).toBe(201);
    await eventually(async () => (await get('/usage/global').expect(200)).body.totals.seconds > before + 599);
    const [open] = (await get('/billing/statements').expect(200)).body.items;
    expect(open.status).toBe('open');
    const events = (await get(`/billing/statements/${open.id}/events`).expect(200)).body.items;
    expect(events.some((e: { type: string; data: { reason: string } }) => e.type === 'UsageCorrected' && e.data.reason === 'handler outage credit')).toBe(true);
    const summed = events.reduce((sum: number, e: { data: { seconds: number } }) => sum + e.data.seconds, 0);
    const statementSeconds = open.lines.reduce((sum: number, line: { seconds: number }) => sum + line.seconds, 0);
    expect(summed).toBeCloseTo(statementSeconds, 3);
    // Only platform admins correct usage; a workspace owner is refused.
    await t.http.post(`/v1/admin/workspaces/${ws.workspaceId}/usage-corrections`).set(ws.owner.headers).send({ subject_id: stream.subject_id, from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z', seconds_delta: 1, reason: 'x' }).expect(403);
  });

  it('issues the month’s statement once the month has ended, frozen with a digest of its lines', async () => {
    const clock = t.app.get<Clock>(CLOCK);
    const now = clock.now();
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 2));
    const spy = jest.spyOn(clock, 'now').mockReturnValue(nextMonth);
    try {
      expect(await jobs.issueStatements({ id: 'statements-1' })).toBe(1);
      expect(await jobs.issueStatements({ id: 'statements-2' })).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const statement = await eventually(async () => {
      const [first] = (await get('/billing/statements').expect(200)).body.items;
      return first.status === 'issued' && first;
    });
    expect(statement).toMatchObject({ month: now.toISOString().slice(0, 7), digest: expect.stringMatching(/^[0-9a-f]{64}$/), issued_at: expect.any(String) });
    const events = (await get(`/billing/statements/${statement.id}/events`).expect(200)).body.items;
    const lineEvents = statement.lines.reduce((sum: number, line: { events: { count: number } }) => sum + line.events.count, 0);
    expect(events).toHaveLength(lineEvents);
    expect((await get(`/billing/statements/${statement.id}`).expect(200)).body).toEqual(statement);
  });

  it('gives platform admins the platform’s figures, and no one else', async () => {
    const stats = (await t.http.get('/v1/admin/stats/global').set(t.admin).expect(200)).body;
    expect(stats).toMatchObject({ num_units: 2, num_active_units: 0, num_inactive_units: 2, instances_running: 0, streams_in_progress: 0, totals: { currency: 'USD' } });
    expect(stats.num_users).toBeGreaterThanOrEqual(2);
    expect(stats.num_workspaces).toBeGreaterThanOrEqual(1);
    expect(stats.events).toBeGreaterThanOrEqual(5);
    expect(stats.totals.seconds).toBeGreaterThan(600);
    const across = (await t.http.get('/v1/admin/usage/global').query({ group_by: 'workspace' }).set(t.admin).expect(200)).body;
    expect(across.items.map((i: { key: string }) => i.key)).toContain(ws.workspaceId);
    await t.http.get('/v1/admin/stats/global').set(ws.owner.headers).expect(403);
    const metrics = (await t.http.get('/metrics').set(t.admin).expect(200)).text;
    expect(metrics).toMatch(/usage_seconds\{subject_type="instance",machine_type="small",location="eu_north"\} \d/);
    expect(metrics).toMatch(/usage_energy_kwh\{subject_type="stream",machine_type="none",location="eu_central"\} \d/);
    expect((await t.http.get('/v1/admin/stats/yearly').set(t.admin).expect(400)).body.errors[0].field).toBe('mode');
  });

  it('another workspace sees none of it', async () => {
    const other = await tenant(t, 'metering-other');
    const [statement] = (await get('/billing/statements').expect(200)).body.items;
    await t.http.get(`${other.base}/billing/statements/${statement.id}`).set(other.owner.headers).expect(404);
    const usage = (await t.http.get(`${other.base}/usage/global`).set(other.owner.headers).expect(200)).body;
    expect(usage.totals.units).toBe(0);
    expect((await t.http.get(`${other.base}/units`).set(other.owner.headers).expect(200)).body.items).toEqual([]);
  });
  it('the free tier covers the month’s first seconds, in log order, at their own prices', async () => {
    // Three stretches of one second written as the meter would, at one currency unit per second.
    const other = await tenant(t, 'metering-free-tier');
    const subjectId = randomUUID();
    const start = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1, 1));
    const at = (s: number) => new Date(start.getTime() + s * 1000).toISOString();
    const subject = { subject_type: 'stream', subject_id: subjectId, workspace_id: other.workspaceId };
    const rates = { watts: 10, pue: 1, emission_factor_g_per_kwh: 0, factor_source: 'test', unit_price_per_hour: 3600, currency: 'USD' };
    const stretch = (from: number) => ({
      type: 'UsageRecorded',
      data: { ...subject, ...rates, from: at(from), to: at(from + 1), seconds: 1, energy_kwh: 0, emissions_g: 0, cost: 1, run_started_at: at(0), final: false },
    });
    const events: Array<{ type: string; data: JsonObject }> = [{ type: 'UsageMeteringStarted', data: { subject, rates, at: at(0) } }, stretch(0), stretch(1), stretch(2), { type: 'UsageMeteringStopped', data: { at: at(3) } }];
    await store.append(
      `usage-${subjectId}`,
      events.map((e) => ({ eventId: randomUUID(), ...e, metadata: { workspace_id: other.workspaceId } })),
      'no_stream',
    );
    const billing = await eventually(async () => {
      const body = (await t.http.get(`${other.base}/billing/current`).set(other.owner.headers).expect(200)).body;
      return body.has_surpassed_free_tier && body;
    });
    expect(billing).toMatchObject({ amount: 1, free_tier_seconds: 2, free_tier_seconds_left: 0 });
  });

  it('whole hours from the hourly totals and units from spans answer exactly as the quarter hours do', async () => {
    // Two subjects on one day in the past: one with two runs (a gap between), one stream in between.
    const other = await tenant(t, 'metering-hours');
    const day = (hhmm: string) => `2026-01-10T${hhmm}:00.000Z`;
    const rates = { watts: 20, pue: 1.2, emission_factor_g_per_kwh: 100, factor_source: 'test', unit_price_per_hour: 0.36, currency: 'USD' };
    async function metered(subjectType: 'instance' | 'stream', extra: Record<string, string>, runs: Array<[string, string]>) {
      const subject = { subject_type: subjectType, subject_id: randomUUID(), workspace_id: other.workspaceId };
      const events: Array<{ type: string; data: JsonObject }> = [];
      for (const [from, to] of runs) {
        events.push({ type: 'UsageMeteringStarted', data: { subject, rates: { ...rates, ...extra }, at: day(from) } });
        // Ten-minute stretches, as ticks would record them.
        for (let at = Date.parse(day(from)); at < Date.parse(day(to)); at += 600_000) {
          const end = Math.min(at + 600_000, Date.parse(day(to)));
          const seconds = (end - at) / 1000;
          events.push({
            type: 'UsageRecorded',
            data: { ...subject, ...rates, ...extra, from: new Date(at).toISOString(), to: new Date(end).toISOString(), seconds, energy_kwh: (20 * 1.2 * seconds) / 3.6e6, emissions_g: (100 * 20 * 1.2 * seconds) / 3.6e6, cost: seconds / 10_000, run_started_at: day(from), final: end === Date.parse(day(to)) },
          });
        }
        events.push({ type: 'UsageMeteringStopped', data: { at: day(to) } });
      }
      await store.append(`usage-${subject.subject_id}`, events.map((e) => ({ eventId: randomUUID(), ...e, metadata: { workspace_id: other.workspaceId } })), 'no_stream');
    }
    await metered('instance', { machine_type: 'small', location: 'eu_north' }, [['09:50', '12:20'], ['14:05', '14:35']]);
    await metered('stream', {}, [['11:00', '11:40']]);
    const usage = (mode: string, query: Record<string, string>) => t.http.get(`${other.base}/usage/${mode}`).query(query).set(other.owner.headers).expect(200);
    await eventually(async () => (await usage('global', { to: day('23:00') })).body.totals.units === 2);

    const windows: Array<[string, Record<string, string>]> = [
      ['current', { from: day('09:00'), to: day('15:00') }],
      ['current', { from: day('10:07'), to: day('12:03') }],
      ['current', { from: day('11:59'), to: day('14:10') }],
      ['current', { from: day('12:30'), to: day('14:00') }],
      ['current', { from: day('13:00'), to: day('14:06') }],
      ['current', { from: day('11:20'), to: day('11:25') }],
      ['current', { from: day('12:16'), to: day('13:30') }],
      ['current', { from: day('11:31'), to: day('14:05') }],
      ['global', { to: day('12:45') }],
      ['global', { to: '2026-01-11T00:00:00.000Z' }],
    ];
    for (const [mode, window] of windows) {
      // Hours and spans: no time window, not per subject.
      const byHours = (await usage(mode, { ...window, group_by: 'machine_type' })).body;
      // Quarter hours: per month (all of it is in one), and per subject for the totals.
      const byQuarters = (await usage(mode, { ...window, group_by: 'machine_type', window: 'month', tz: 'UTC' })).body;
      const perSubject = (await usage(mode, { ...window, group_by: 'subject' })).body;
      const plain = (await usage(mode, window)).body;
      const items = (body: { items: Array<Record<string, unknown>> }) => body.items.map(({ window_start: _w, ...item }) => item);
      expect({ mode, window, items: items(byHours) }).toEqual({ mode, window, items: items(byQuarters) });
      expect({ mode, window, totals: byHours.totals }).toEqual({ mode, window, totals: perSubject.totals });
      expect({ mode, window, totals: plain.totals }).toEqual({ mode, window, totals: perSubject.totals });
    }
    // The windows above do see different usage: the gap has none, the whole day has both subjects.
    expect((await usage('current', windows[3][1])).body.totals.units).toBe(0);
    expect((await usage('current', windows[0][1])).body.totals).toMatchObject({ units: 2, seconds: (150 + 30 + 40) * 60 });
  });
});
