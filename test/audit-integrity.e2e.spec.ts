import { createPublicKey, generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import { AppConfig, PG_POOL } from '@streamplane/core';
import { digestStatement } from '@streamplane/audit/integrity/digest-hashing';
import { AuditSigningKey } from '@streamplane/audit/integrity/signing-key';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { tenant, Tenant } from './support/workspaces';

type Digest = { id: string; seq: string; from_position: string; to_position: string; events: number; hash: string; previous_hash: string; key_id: string; signature: string; at: string };
type EventRow = { position: string; stream_id: string; revision: string; event_id: string; type: string; data: object; metadata: object; recorded_at: Date };

describe('Audit integrity: signed digests over the log, the public key, and verify against tampering', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let streamId: string;
  const seal = async () => (await t.http.post('/v1/admin/audit/digests').set(t.admin).expect(201)).body.items as Digest[];
  const chain = async () => (await t.http.get('/v1/admin/audit/digests').query({ limit: 1000 }).set(t.admin).expect(200)).body.items as Digest[];
  const verifyOf = async (ws: Tenant, query: Record<string, string> = {}) => (await t.http.get(`${ws.base}/audit/verify`).query(query).set(ws.owner.headers).expect(200)).body;
  const rowOf = async (sql: string, params: unknown[]) => (await t.db.pool.query<EventRow>(`SELECT * FROM events WHERE ${sql}`, params)).rows[0];
  const putBack = (row: EventRow) =>
    t.db.pool.query('INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      row.position,
      row.stream_id,
      row.revision,
      row.event_id,
      row.type,
      row.data,
      row.metadata,
      row.recorded_at,
    ]);

  beforeAll(async () => {
    // A short period, so the periodic sealing is seen too; on-demand seals share its lock.
    t = await startTestApp('audit_integrity', { env: { AUDIT_DIGEST_SECONDS: '1' } });
    [a, b] = [await tenant(t, 'integrity-a'), await tenant(t, 'integrity-b')];
    await t.http.post(`${a.base}/groups`).set(a.owner.headers).send({ group_name: 'lobby' }).expect(201);
    streamId = (await t.http.post(`${a.base}/streams`).set(a.owner.headers).send({ name: 'cam', data: { reference: 'file:///cam.mp4' }, event_handler: {} }).expect(201)).body.stream_id;
    await t.http.post(`${b.base}/groups`).set(b.owner.headers).send({ group_name: 'lobby' }).expect(201);
    await seal();
  });
  afterAll(() => t.close());

  it('seals the log every AUDIT_DIGEST_SECONDS without being asked', async () => {
    const before = (await chain()).length;
    await t.http.patch(`${a.base}/streams/${streamId}`).set(a.owner.headers).send({ description: 'sealed by the timer' }).expect(200);
    await eventually(async () => (await chain()).length > before, 10_000);
  });

  it('serves the public key without auth; every digest verifies offline with it and chains to the one before', async () => {
    const published = (await t.http.get('/v1/audit/public-key').expect(200)).body;
    expect(published).toEqual({ algorithm: 'Ed25519', key_id: expect.stringMatching(/^[0-9a-f]{16}$/), public_key: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----/) });
    const key = createPublicKey(published.public_key);
    const digests = await chain();
    expect(digests.length).toBeGreaterThanOrEqual(1);
    expect(digests[0].previous_hash).toBe('0'.repeat(64));
    digests.forEach((digest, n) => {
      expect(verify(null, digestStatement(digest), key, Buffer.from(digest.signature, 'base64'))).toBe(true);
      expect(digest.key_id).toBe(published.key_id);
      if (n > 0) {
        expect(digest.previous_hash).toBe(digests[n - 1].hash);
        expect(BigInt(digest.from_position)).toBeGreaterThan(BigInt(digests[n - 1].to_position));
      }
    });
    // A forged statement does not verify.
    expect(verify(null, digestStatement({ ...digests[0], events: digests[0].events + 1 }), key, Buffer.from(digests[0].signature, 'base64'))).toBe(false);
    await t.http.get('/v1/admin/audit/digests').set(a.owner.headers).expect(403);
    await t.http.post('/v1/admin/audit/digests').set(a.owner.headers).expect(403);
  });

  it('pages the chain by seq, and answers 400 naming a bad limit or after', async () => {
    const all = await chain();
    expect(all.length).toBeGreaterThanOrEqual(2);
    const first = (await t.http.get('/v1/admin/audit/digests').query({ limit: 1 }).set(t.admin).expect(200)).body;
    expect(first).toEqual({ items: [all[0]], next_after: all[0].seq });
    expect((await t.http.get('/v1/admin/audit/digests').query({ after: first.next_after, limit: 1 }).set(t.admin).expect(200)).body.items).toEqual([all[1]]);
    for (const [query, field] of [[{ limit: 0 }, 'limit'], [{ limit: 1001 }, 'limit'], [{ after: '-1' }, 'after']] as const) {
      const res = await t.http.get('/v1/admin/audit/digests').query(query).set(t.admin).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('verifies an untouched log: every event of the workspace, ok', async () => {
    const result = await verifyOf(a);
    expect(result).toEqual({ verified_events: expect.any(Number), digests_checked: expect.any(Number), ok: true, sealed_to_position: expect.stringMatching(/^\d+$/) });
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM events WHERE metadata->>'workspace_id' = $1 AND position <= $2`, [a.workspaceId, result.sealed_to_position]);
    expect(result.verified_events).toBe(rows[0].n);
    expect(result.verified_events).toBeGreaterThanOrEqual(3);
  });

  it('names an event altered, removed or inserted directly in PostgreSQL, and only to its own workspace', async () => {
    await seal();
    const created = await rowOf(`stream_id = $1 AND revision = 0`, [`stream-${streamId}`]);

    await t.db.pool.query(`UPDATE events SET data = jsonb_set(data, '{name}', '"evil"') WHERE event_id = $1`, [created.event_id]);
    expect(await verifyOf(a)).toMatchObject({ ok: false, first_mismatch: { position: created.position, event_id: created.event_id, reason: 'altered' } });
    expect(await verifyOf(b)).toMatchObject({ ok: true });
    await t.db.pool.query('UPDATE events SET data = $2 WHERE event_id = $1', [created.event_id, created.data]);
    expect((await verifyOf(a)).ok).toBe(true);

    await t.db.pool.query('DELETE FROM events WHERE event_id = $1', [created.event_id]);
    expect(await verifyOf(a)).toMatchObject({ ok: false, first_mismatch: { position: created.position, event_id: created.event_id, reason: 'removed' } });
    await putBack(created);
    expect((await verifyOf(a)).ok).toBe(true);

    // A forged event at a free position inside the sealed range, claiming workspace A.
    const { rows } = await t.db.pool.query<{ p: string }>(
      'SELECT p::text FROM generate_series($1::bigint + 1, $1::bigint + 1000) AS p WHERE NOT EXISTS (SELECT 1 FROM events WHERE position = p) LIMIT 1',
      [created.position],
    );
    const forged = { ...created, position: rows[0].p, event_id: randomUUID(), stream_id: `stream-${randomUUID()}`, revision: '0' };
    expect(BigInt(forged.position)).toBeLessThanOrEqual(BigInt((await verifyOf(a)).sealed_to_position));
    await putBack(forged);
    expect(await verifyOf(a)).toMatchObject({ ok: false, first_mismatch: { position: forged.position, event_id: forged.event_id, reason: 'inserted' } });
    expect((await verifyOf(b)).ok).toBe(true);
    await t.db.pool.query('DELETE FROM events WHERE event_id = $1', [forged.event_id]);
    expect((await verifyOf(a)).ok).toBe(true);
  });

  it('names a digest whose sealed entries were rewritten (to cover up an altered event)', async () => {
    const [{ digest_seq, ordinal, leaf }] = (
      await t.db.pool.query(`SELECT digest_seq, ordinal, leaf FROM audit_digest_entries WHERE workspace_id = $1 ORDER BY digest_seq, ordinal LIMIT 1`, [a.workspaceId])
    ).rows;
    await t.db.pool.query('UPDATE audit_digest_entries SET leaf = $3 WHERE digest_seq = $1 AND ordinal = $2', [digest_seq, ordinal, Buffer.alloc(32)]);
    const [digest] = (await t.db.pool.query(`SELECT from_position::text FROM audit_digests WHERE seq = $1`, [digest_seq])).rows;
    expect(await verifyOf(a)).toMatchObject({ ok: false, first_mismatch: { position: digest.from_position, event_id: null, reason: 'digest_hash' } });
    await t.db.pool.query('UPDATE audit_digest_entries SET leaf = $3 WHERE digest_seq = $1 AND ordinal = $2', [digest_seq, ordinal, leaf]);
    expect((await verifyOf(a)).ok).toBe(true);
  });

  it('checks only the digests of a time window, and answers 400 naming an unparsable bound', async () => {
    expect(await verifyOf(a, { until: '2000-01-01T00:00:00Z' })).toEqual({ verified_events: 0, digests_checked: 0, ok: true, sealed_to_position: null });
    const all = await verifyOf(a);
    expect((await verifyOf(a, { since: '2000-01-01T00:00:00Z' })).verified_events).toBe(all.verified_events);
    const res = await t.http.get(`${a.base}/audit/verify`).query({ since: 'yesterday' }).set(a.owner.headers).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('since');
  });

  it('keeps the generated key in the database for every process, and signs with AUDIT_SIGNING_KEY when it is set', async () => {
    const served = (await t.http.get('/v1/audit/public-key').expect(200)).body;
    const pool = t.app.get(PG_POOL);
    expect(await new AuditSigningKey(pool, t.config).publicKey()).toEqual(served);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const configured: AppConfig = { ...t.config, audit: { ...t.config.audit, signingKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } };
    const own = await new AuditSigningKey(pool, configured).publicKey();
    expect(own.public_key).toBe(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(own.key_id).not.toBe(served.key_id);
  });
});
