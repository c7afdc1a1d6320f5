import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@streamplane/core';
import { createTestDatabase, TestDatabase } from '@streamplane/testing';
import { FleetSecrets } from './fleet-secrets';

/** The key tables on a real PostgreSQL: what several processes (or hosts) sharing one database see. */
describe('FleetSecrets', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('fleet_secrets_keys');
    await db.pool.query(readFileSync(join(__dirname, '..', '..', 'migrations', '1700000036000_secret_keys.sql'), 'utf8'));
  });
  afterAll(() => db.drop());

  const secrets = (env: Record<string, string> = {}) => new FleetSecrets(db.pool, loadConfig({ DATABASE_URL: db.url, ...env }));

  it('without SECRETS_MASTER_KEY, generates one into the database once; another process opens what the first sealed', async () => {
    const first = secrets();
    const sealed = await first.seal('ws-1', 'env ws-1/i-1/API_KEY', 'hunter2');
    expect(sealed).toMatch(/^sealed:v1:/);
    expect(sealed).not.toContain('hunter2');
    expect((await db.pool.query('SELECT count(*)::int AS n FROM fleet_master_key')).rows[0].n).toBe(1);
    expect(await secrets().open('ws-1', 'env ws-1/i-1/API_KEY', sealed)).toBe('hunter2');
    // Bound to where it belongs: the same ciphertext does not open as another variable.
    await expect(secrets().open('ws-1', 'env ws-1/i-1/OTHER', sealed)).rejects.toThrow();
    await expect(secrets().open('ws-2', 'env ws-1/i-1/API_KEY', sealed)).rejects.toThrow();
  });

  it('two processes creating a workspace key at once end up with one key', async () => {
    const [a, b] = [secrets(), secrets()];
    const [fromA, fromB] = await Promise.all([a.seal('ws-race', 'ctx', 'from a'), b.seal('ws-race', 'ctx', 'from b')]);
    expect(await b.open('ws-race', 'ctx', fromA)).toBe('from a');
    expect(await a.open('ws-race', 'ctx', fromB)).toBe('from b');
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM fleet_data_keys WHERE workspace_id = 'ws-race'`)).rows[0].n).toBe(1);
  });

  it('a different SECRETS_MASTER_KEY fails loudly, naming the key it expected, instead of opening garbage', async () => {
    const sealed = await secrets().seal('ws-3', 'ctx', 'value');
    const other = secrets({ SECRETS_MASTER_KEY: randomBytes(32).toString('base64') });
    await expect(other.open('ws-3', 'ctx', sealed)).rejects.toThrow(/another master key \([0-9a-f]{16}\)/);
  });

  it('SECRETS_MASTER_KEY must be 32 bytes', () => {
    expect(() => loadConfig({ SECRETS_MASTER_KEY: 'too-short' })).toThrow(/SECRETS_MASTER_KEY must be 32 bytes/);
    expect(loadConfig({ SECRETS_MASTER_KEY: 'ab'.repeat(32) }).secretsMasterKey).toEqual(Buffer.alloc(32, 0xab));
  });
});
