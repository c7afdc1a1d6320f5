import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@streamplane/core';
import { LocalProvisioner } from './local-provisioner';

/** The environment a running process actually has, from /proc (what it sees, not what we meant). */
function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

describe('local provisioner: the media node environment (defence in depth behind the API rule)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamplane-env-'));
  const marker = join(dir, 'pwned');
  const provisioner = new LocalProvisioner(loadConfig({ DATABASE_URL: `postgres://127.0.0.1/env_test_${randomUUID().slice(0, 8)}`, INSTANCES_DIR: dir }));
  const instanceId = randomUUID();
  const saved = { ...process.env };

  beforeAll(() => {
    // Secrets the worker holds: an instance must inherit none of them.
    process.env.DATABASE_URL = 'postgres://secret@db/streamplane';
    process.env.STREAMPLANE_TEST_SECRET = 'do-not-leak';
  });
  afterAll(async () => {
    await provisioner.ensureStopped(instanceId);
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('never passes a NODE_OPTIONS (or any reserved name) from the log, and the platform variables win', async () => {
    // As an instance whose log holds variables written before the API refused them.
    const env = {
      NODE_OPTIONS: `--import=data:text/javascript,import{writeFileSync}from'node:fs';writeFileSync('${marker}','pwned')`,
      LD_PRELOAD: '/nonexistent/evil.so',
      PORT: '1',
      INSTANCE_ID: 'forged',
      MEDIA_NODE_VERSION: 'forged',
      DATABASE_URL: 'postgres://forged',
      MAX_ROOMS: '10',
    };
    const { endpoint } = await provisioner.ensureRunning({ instanceId, workspaceId: randomUUID(), imageVersion: '1.0.0', machineType: 'xsmall', location: 'eu_central', env });

    const info = (await (await fetch(`${endpoint}/info`)).json()) as { instance_id: string; version: string; env_names: string[]; pid: number };
    expect(info).toMatchObject({ instance_id: instanceId, version: '1.0.0', env_names: ['MAX_ROOMS'] });
    const seen = environOf(info.pid);
    expect(Object.keys(seen).sort()).toEqual(['INSTANCE_ID', 'MAX_ROOMS', 'MEDIA_NODE_ENV_NAMES', 'MEDIA_NODE_START_DELAY_MS', 'MEDIA_NODE_VERSION', 'PATH', 'PORT']);
    expect(seen).toMatchObject({ PORT: new URL(endpoint).port, INSTANCE_ID: instanceId, MEDIA_NODE_VERSION: '1.0.0', MAX_ROOMS: '10' });
    // The process is up and answered: a NODE_OPTIONS --import would have run before it listened.
    expect(existsSync(marker)).toBe(false);
  });
});
