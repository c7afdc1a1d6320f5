import { MetricsPort } from '@streamplane/core';
import { startTestApp, TestApp } from './support/test-app';

/** Issue 9, item 9: with METRICS_PORT, /metrics is on a port of its own (loopback by default), without auth, and gone from the API's port. */
describe('METRICS_PORT', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp('metrics_port', { env: { METRICS_PORT: '0' } }); // 0: the system picks a free port
    base = `http://127.0.0.1:${t.app.get(MetricsPort).port()}`;
  });
  afterAll(() => t.close());

  it('serves /metrics on the metrics port without a token', async () => {
    await t.http.get('/v1/version').expect(200); // something for the request histogram to show
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^http_request_duration_seconds_count\{.*route="\/v1\/version".*\} \d+/m);
    expect(text).toMatch(/^queue_jobs\{/m);
  });

  it('binds to 127.0.0.1 unless METRICS_HOST says otherwise', () => {
    expect(t.config.metricsHost).toBe('127.0.0.1');
    const address = (t.app.get(MetricsPort) as unknown as { server: import('node:http').Server }).server.address();
    expect(address).toMatchObject({ address: '127.0.0.1' });
  });

  it('answers nothing else there', async () => {
    expect((await fetch(`${base}/v1/version`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('no longer serves /metrics on the API port, even to a platform admin', async () => {
    expect((await t.http.get('/metrics').set(t.admin)).status).toBe(404);
    expect((await t.http.get('/metrics')).status).toBe(404);
  });
});
