import http from 'node:http';
import { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { startTestApp, TestApp } from '../support/test-app';
import { malformedHttp, realWorld } from './fuzz-fixtures';
import { OpenApiDocument, operationsOf, phaseOf, requestArbitrary, targetedRequests } from './openapi-requests';
import { contractViolation, FuzzRequest, FuzzResponse, send } from './raw-http';

// Fixed so a failure reproduces; FUZZ_SEED=<n> explores other corners.
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_611);
const PER_OPERATION = Number(process.env.FUZZ_PER_OPERATION ?? 60);
const CONCURRENCY = 24;

interface Finding {
  request: FuzzRequest;
  response: FuzzResponse;
  violation: string;
}

describe('fuzz: bad input never gets a 5xx, and every 4xx is a problem+json', () => {
  let t: TestApp;
  let port: number;
  let agent: http.Agent;

  beforeAll(async () => {
    // Short waits on X-Min-Position: the fuzzer sends huge positions, and waiting them out only slows the run.
    t = await startTestApp('fuzz', { env: { MIN_POSITION_TIMEOUT_MS: '200' } });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  }, 120_000);

  afterAll(async () => {
    agent?.destroy();
    await t?.close();
  });

  it('answers every generated request for every documented operation without a 5xx', async () => {
    const started = Date.now();
    const document = (await t.http.get('/docs/openapi.json').expect(200)).body as OpenApiDocument;
    const ctx = await realWorld(t, document.components.schemas);
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(50);

    const phases: FuzzRequest[][] = [[...malformedHttp(ctx.authorization.owner)], [], []];
    operations.forEach((operation, index) => {
      // A seed per operation: adding a route does not reshuffle every other route's requests.
      const seed = SEED + index;
      const sample = (arbitrary: fc.Arbitrary<unknown>) => fc.sample(arbitrary, { seed, numRuns: 1 })[0];
      phases[phaseOf(operation)].push(...targetedRequests(operation, ctx, sample), ...fc.sample(requestArbitrary(operation, ctx), { seed, numRuns: PER_OPERATION }));
    });

    const findings: Finding[] = [];
    let sent = 0;
    const busy = new Map<string, number>(); // ms spent per operation, to see what slows the run
    for (const phase of phases) {
      await inParallel(phase, CONCURRENCY, async (request) => {
        const begun = Date.now();
        const response = await send(port, agent, request);
        busy.set(request.operation, (busy.get(request.operation) ?? 0) + Date.now() - begun);
        sent++;
        const violation = contractViolation(response);
        if (violation) findings.push({ request, response, violation });
      });
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const slowest = [...busy.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([operation, ms]) => `${operation} ${ms} ms in all`);
    console.log(`fuzz: ${sent} requests over ${operations.length} operations in ${seconds} s (seed ${SEED}), ${findings.length} violations; busiest: ${slowest.join(', ')}`);

    expect(sent).toBeGreaterThanOrEqual(5_000);
    if (findings.length) throw new Error(report(findings, sent));
  }, 300_000);
});

async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** One line per operation with its first offending request, so the report stays readable at hundreds of findings. */
function report(findings: Finding[], sent: number): string {
  const byOperation = new Map<string, Finding[]>();
  for (const finding of findings) byOperation.set(finding.request.operation, [...(byOperation.get(finding.request.operation) ?? []), finding]);
  const fivexx = findings.filter((f) => f.response.status >= 500).length;
  const lines = [...byOperation.entries()].map(([operation, list]) => {
    const { request, response, violation } = list[0];
    const body = request.raw ?? request.body;
    return [
      `${operation}: ${list.length} × (first: ${violation})`,
      `    ${request.method} ${request.path.slice(0, 200)}`,
      `    headers ${JSON.stringify(request.headers).slice(0, 300)}`,
      `    body ${body ? JSON.stringify(body.toString('latin1').slice(0, 200)) : '-'} (${body?.length ?? 0} bytes)`,
      `    → ${response.status} ${response.contentType} ${response.body.slice(0, 200)}`,
    ].join('\n');
  });
  return [`${findings.length} of ${sent} requests broke the contract (${fivexx} with a 5xx) across ${byOperation.size} operations; reproduce with FUZZ_SEED=${SEED}`, ...lines].join('\n');
}
