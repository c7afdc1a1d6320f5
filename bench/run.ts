import 'reflect-metadata';
import { benchAudit } from './audit.bench';
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchEventStore } from './eventstore.bench';
import { benchFleet } from './fleet.bench';
import { benchHttp } from './http.bench';
import { benchIdentity } from './identity.bench';
import { BenchSection, SECONDS } from './measure';
import { benchMetering } from './metering.bench';
import { benchScale } from './scale.bench';
import { benchStreams } from './streams.bench';
import { benchWebhooks } from './webhooks.bench';

const SECTIONS: Record<string, () => Promise<BenchSection>> = {
  eventstore: benchEventStore,
  identity: benchIdentity,
  streams: benchStreams,
  fleet: benchFleet,
  http: benchHttp,
  metering: benchMetering,
  webhooks: benchWebhooks,
  audit: benchAudit,
  scale: benchScale,
};

/**
 * npm run bench [-- section …]: every section, or the named ones. Each compares itself with a
 * baseline taken in the same run and prints ratios; the figures also go to bench-results/latest.json.
 */
async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SECTIONS[name]);
  if (unknown.length) throw new Error(`no bench section named ${unknown.join(', ')}; there are ${Object.keys(SECTIONS).join(', ')}`);
  console.log(`Streamplane bench — ${SECONDS} s per scenario (BENCH_SECONDS)`);
  const results: Record<string, BenchSection> = {};
  for (const name of wanted.length ? wanted : Object.keys(SECTIONS)) {
    console.log(`\n## ${name}`);
    results[name] = await SECTIONS[name]();
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/latest.json', JSON.stringify({ at: new Date().toISOString(), seconds: SECONDS, results }, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
