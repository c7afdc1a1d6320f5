import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, EventStore, JsonObject, RecordedEvent } from '@streamplane/eventstore';
import { loadCatalogFile } from '@streamplane/fleet';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { memberOf, Tenant, tenant } from './support/workspaces';

describe('Fleet through HTTP: the catalog and clusters', () => {
  let t: TestApp;
  let ws: Tenant;
  beforeAll(async () => {
    t = await startTestApp('fleet_clusters');
    ws = await tenant(t, 'fleet');
  });
  afterAll(() => t.close());

  const clusters = () => `${ws.base}/clusters`;

  describe('catalog', () => {
    it('lists the five machine types, the sixteen locations with carbon intensity, and at least two versions', async () => {
      const types = (await t.http.get('/v1/catalog/machine-types').set(ws.owner.headers).expect(200)).body;
      expect(types.map((m: { name: string }) => m.name)).toEqual(['xsmall', 'small', 'medium', 'large', 'xlarge']);
      expect(types[0]).toEqual({ name: 'xsmall', vcpu: expect.any(Number), memory_mb: expect.any(Number), watts: expect.any(Number), price_per_hour: expect.any(Number), status: 'available', retired_at: null });
      const locations = (await t.http.get('/v1/catalog/locations').set(ws.owner.headers).expect(200)).body;
      expect(locations).toHaveLength(16);
      expect(locations.map((l: { name: string }) => l.name)).toEqual(expect.arrayContaining(['us_east', 'eu_central', 'eu_north', 'sa_east']));
      expect(locations.every((l: { carbon_intensity_g_per_kwh: number }) => l.carbon_intensity_g_per_kwh > 0)).toBe(true);
      expect((await t.http.get('/v1/catalog/versions').set(ws.owner.headers).expect(200)).body.length).toBeGreaterThanOrEqual(2);
      expect((await t.http.get('/v1/catalog/versions')).status).toBe(401);
    });

    it('takes a catalog file that replaces parts of the defaults, and names what is wrong with a bad one', () => {
      const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
      const good = join(dir, 'good.json');
      writeFileSync(good, JSON.stringify({ versions: [{ version: '9.0.0', released_at: '2026-01-01T00:00:00.000Z', notes: 'x' }] }));
      const loaded = loadCatalogFile(good);
      expect(loaded.versions.map((v) => v.version)).toEqual(['9.0.0']);
      expect(loaded.locations).toHaveLength(16);
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ defaultLocation: 'moon' }));
      expect(() => loadCatalogFile(bad)).toThrow(/defaultLocation moon/);
      writeFileSync(bad, '{ not json');
      expect(() => loadCatalogFile(bad)).toThrow(/could not be read as JSON/);
    });
  });

  describe('clusters', () => {
    it('creates, lists, gets and patches a cluster', async () => {
      const created = await t.http.post(clusters()).set(ws.owner.headers).send({ name: 'edge', image_version: '1.0.0', token: 'media-secret' }).expect(201);
      expect(created.body).toMatchObject({ id: expect.any(String), name: 'edge', image_version: '1.0.0', token_set: true, status: 'running', version: 1 });
      const id = created.body.id;
      const listed = (await t.http.get(clusters()).set(ws.owner.headers).expect(200)).body;
      expect(listed).toMatchObject({ page: 1, page_size: 20, total: 1 });
      expect(listed.items[0].id).toBe(id);

      const patched = await t.http.patch(`${clusters()}/${id}`).set(ws.owner.headers).send({ name: 'core', image_version: '1.1.0' }).expect(200);
      expect(patched.body).toMatchObject({ name: 'core', image_version: '1.1.0', token_set: true, version: 3 });
      expect((await t.http.patch(`${clusters()}/${id}`).set(ws.owner.headers).send({ token: null }).expect(200)).body.token_set).toBe(false);
      expect((await t.http.get(`${clusters()}/${id}`).set(ws.owner.headers).expect(200)).body).toMatchObject({ name: 'core', version: 4 });
    });

    it('rejects bad input naming the field: long names, unknown versions, empty patches, unknown fields', async () => {
      const cases: Array<[object, string]> = [
        [{ name: 'n'.repeat(65), image_version: '1.0.0' }, 'name'],
        [{ name: 'x', image_version: '0.0.1' }, 'image_version'],
        [{ name: 'x' }, 'image_version'],
        [{ name: 'x', image_version: '1.0.0', size: 3 }, 'size'],
      ];
      for (const [body, field] of cases) {
        const res = await t.http.post(clusters()).set(ws.owner.headers).send(body);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const id = (await t.http.post(clusters()).set(ws.owner.headers).send({ name: 'p', image_version: '1.0.0' }).expect(201)).body.id;
      expect((await t.http.patch(`${clusters()}/${id}`).set(ws.owner.headers).send({})).status).toBe(400);
      expect((await t.http.patch(`${clusters()}/${id}`).set(ws.owner.headers).send({ image_version: '7.7.7' })).status).toBe(400);
    });

    it('deletes a cluster without instances; then it is 404', async () => {
      const id = (await t.http.post(clusters()).set(ws.owner.headers).send({ name: 'gone', image_version: '1.0.0' }).expect(201)).body.id;
      await t.http.delete(`${clusters()}/${id}`).set(ws.owner.headers).expect(204);
      expect((await t.http.get(`${clusters()}/${id}`).set(ws.owner.headers)).status).toBe(404);
      expect((await t.http.delete(`${clusters()}/${id}`).set(ws.owner.headers)).status).toBe(404);
    });

    it('reads version 1 cluster events (the token in clear) as their hash: the read model, the store and the command side alike', async () => {
      const id = randomUUID();
      const at = new Date().toISOString();
      const v1 = (type: string, data: JsonObject) => ({ eventId: randomUUID(), type, data: { ...data, at }, metadata: { event_version: 1, workspace_id: ws.workspaceId } });
      const store = t.app.get<EventStore>(EVENT_STORE);
      await store.append(
        `cluster-${id}`,
        [v1('ClusterCreated', { cluster_id: id, workspace_id: ws.workspaceId, name: 'old', image_version: '1.0.0', token: 'media-secret' }), v1('ClusterUpdated', { name: 'older', token: null })],
        'no_stream',
      );
      const view = await eventually(async () => {
        const { body } = await t.http.get(`${clusters()}/${id}`).set(ws.owner.headers);
        return body.version === 2 && body;
      }, 15_000);
      expect(view).toMatchObject({ name: 'older', token_set: false, version: 2 });
      const read: RecordedEvent[] = [];
      for await (const event of store.readStream(`cluster-${id}`)) read.push(event);
      expect(read[0].data).toEqual({ cluster_id: id, workspace_id: ws.workspaceId, name: 'old', image_version: '1.0.0', token_sha256: createHash('sha256').update('media-secret').digest('hex'), at });
      expect(read[1].data).toEqual({ name: 'older', token_sha256: null, at });
      // Upcast on read only: the log still holds what was written.
      const stored = (await t.db.pool.query<{ data: JsonObject }>(`SELECT data FROM events WHERE stream_id = $1 ORDER BY position`, [`cluster-${id}`])).rows;
      expect(stored.map((row) => row.data.token)).toEqual(['media-secret', null]);
      // The decider folds them too: the cluster is this workspace's, and its image can change.
      expect((await t.http.patch(`${clusters()}/${id}`).set(ws.owner.headers).send({ image_version: '1.1.0' }).expect(200)).body).toMatchObject({ name: 'older', image_version: '1.1.0', version: 3 });
    });

    it('needs the admin role to change clusters; a member reads; another workspace gets 404', async () => {
      const id = (await t.http.post(clusters()).set(ws.owner.headers).send({ name: 'guarded', image_version: '1.0.0' }).expect(201)).body.id;
      const member = await memberOf(t, ws, 'member');
      expect((await t.http.get(`${clusters()}/${id}`).set(member.headers)).status).toBe(200);
      expect((await t.http.post(clusters()).set(member.headers).send({ name: 'x', image_version: '1.0.0' })).status).toBe(403);
      expect((await t.http.patch(`${clusters()}/${id}`).set(member.headers).send({ name: 'x' })).status).toBe(403);
      const other = await tenant(t, 'other');
      expect((await t.http.get(`${other.base}/clusters/${id}`).set(other.owner.headers)).status).toBe(404);
      expect((await t.http.patch(`${other.base}/clusters/${id}`).set(other.owner.headers).send({ name: 'mine' })).status).toBe(404);
      expect((await t.http.delete(`${other.base}/clusters/${id}`).set(other.owner.headers)).status).toBe(404);
    });
  });
});
