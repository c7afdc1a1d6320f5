import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { LocalProvisioner } from '@streamplane/fleet/provisioner/local-provisioner';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { Tenant, tenant } from './support/workspaces';

type Info = { instance_id: string; env_names: string[]; pid: number };

function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

describe('Fleet through HTTP: instance env vars cannot run code on the host', () => {
  let t: TestApp;
  let ws: Tenant;
  let clusterId: string;
  const started: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'streamplane-pwn-'));
  const marker = join(dir, 'pwned');
  // What a member would send: Node runs an --import in NODE_OPTIONS before the media node's own code.
  const payload = `--import=data:text/javascript,import{writeFileSync}from'node:fs';writeFileSync('${marker}','pwned')`;

  beforeAll(async () => {
    t = await startTestApp('fleet_env_security');
    ws = await tenant(t, 'envsec');
    clusterId = (await t.http.post(`${ws.base}/clusters`).set(ws.owner.headers).send({ name: 'edge', image_version: '1.0.0' }).expect(201)).body.id;
  });
  afterAll(async () => {
    const provisioner = t.app.get(LocalProvisioner);
    await Promise.all(started.map((id) => provisioner.ensureStopped(id)));
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const path = (id: string, rest = '') => `${ws.base}/instances/${id}${rest}`;
  const get = async (id: string) => (await t.http.get(path(id)).set(ws.owner.headers).expect(200)).body;
  const info = async (endpoint: string) => (await (await fetch(`${endpoint}/info`)).json()) as Info;
  /** Running on a process other than `notPid`, with its /info. */
  const runningAgain = (id: string, notPid: number) =>
    eventually(async () => {
      const instance = await get(id);
      const seen = instance.status === 'running' ? await info(instance.endpoint).catch(() => undefined) : undefined;
      return seen && seen.pid !== notPid ? seen : undefined;
    }, 30_000);
  async function runningInstance(): Promise<{ id: string; pid: number }> {
    const id = (await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: clusterId }).expect(202)).body.id;
    started.push(id);
    return { id, pid: (await runningAgain(id, -1)).pid };
  }

  it('refuses NODE_OPTIONS and every other reserved name with 400 naming the field; a restart then runs nothing of it', async () => {
    const { id, pid } = await runningInstance();
    const res = await t.http.put(path(id, '/env')).set(ws.owner.headers).send({ envs: { NODE_OPTIONS: payload, LOG_LEVEL: 'debug' }, restart: true });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'envs.NODE_OPTIONS', message: expect.stringMatching(/reserved/) }]);

    const reserved = ['NODE_PATH', 'NPM_CONFIG_PREFIX', 'LD_PRELOAD', 'DYLD_INSERT_LIBRARIES', 'OPENSSL_CONF', 'PATH', 'HOME', 'PORT', 'HOST', 'INSTANCE_ID', 'MEDIA_NODE_VERSION', 'STREAMPLANE_TOKEN', 'DATABASE_URL', 'REDIS_URL', 'PWD', 'SHELL', 'IFS', 'BASH_ENV'];
    for (const name of reserved) {
      const refused = await t.http.put(path(id, '/env')).set(ws.owner.headers).send({ envs: { [name]: 'x' } });
      expect({ name, status: refused.status, fields: refused.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ name, status: 400, fields: [`envs.${name}`] });
    }
    // Instances take no env at creation: the field is unknown there.
    const create = await t.http.post(`${ws.base}/instances`).set(ws.owner.headers).send({ cluster_id: clusterId, envs: { NODE_OPTIONS: payload } });
    expect(create.status).toBe(400);
    expect((await t.http.get(path(id, '/env')).set(ws.owner.headers).expect(200)).body).toEqual({ envs: {} });

    // Allowed names still work (TZ on purpose: it is data, not code), and the restart they ask for runs a clean process.
    await t.http.put(path(id, '/env')).set(ws.owner.headers).send({ envs: { LOG_LEVEL: 'debug', TZ: 'Europe/Warsaw' }, restart: true }).expect(200);
    const after = await runningAgain(id, pid);
    expect([...after.env_names].sort()).toEqual(['LOG_LEVEL', 'TZ']);
    expect(environOf(after.pid).NODE_OPTIONS).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  it('never runs a NODE_OPTIONS already in the log (from before the rule); the platform variables win and the name can be unset', async () => {
    const { id, pid } = await runningInstance();
    // An old event, as written before reserved names were refused.
    await t.app.get<EventStore>(EVENT_STORE).append(
      `instance-${id}`,
      [{ eventId: randomUUID(), type: 'InstanceEnvChanged', data: { set: { NODE_OPTIONS: payload, INSTANCE_ID: 'forged', MAX_ROOMS: '3' }, unset: [], at: new Date().toISOString() }, metadata: { event_version: 1, workspace_id: ws.workspaceId } }],
      'any',
    );
    await t.http.post(path(id, '/restart')).set(ws.owner.headers).expect(202);
    const after = await runningAgain(id, pid);
    expect(after).toMatchObject({ instance_id: id, env_names: ['MAX_ROOMS'] });
    const env = environOf(after.pid);
    expect(env.NODE_OPTIONS).toBeUndefined();
    expect(env.INSTANCE_ID).toBe(id);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(existsSync(marker)).toBe(false);

    const cleaned = await t.http.delete(path(id, '/env')).query({ names: 'NODE_OPTIONS,INSTANCE_ID' }).set(ws.owner.headers).expect(200);
    expect(cleaned.body).toEqual({ envs: { MAX_ROOMS: '3' } });
  });
});
