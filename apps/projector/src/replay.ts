import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { SingleBar, Presets } from 'cli-progress';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig, CheckpointStore, ConfigError, ConsumerRegistry, loadConfig, PG_POOL, rebuildProjection, RebuildReport } from '@streamplane/core';
import { EVENT_STORE, EventStore } from '@streamplane/eventstore';
import { StreamplaneModule } from '../../streamplane/src/streamplane.module';

const USAGE = 'usage: npm run replay -- <projection name>... | --all';

/**
 * `npm run replay -- <name> | --all`: rebuilds read models from the whole log into fresh tables,
 * swaps them in while the API keeps serving, and says whether they equal what was live.
 * Exit code 0 when every rebuilt projection matched, 2 when one differed (it is fixed now).
 */
async function main(argv: string[]): Promise<number> {
  let config: AppConfig;
  try {
    config = { ...loadConfig(), roles: [] };
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    return 1;
  }
  const app = await NestFactory.createApplicationContext(StreamplaneModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const registry = app.get(ConsumerRegistry);
    const all = registry.projections();
    const names = argv.includes('--all') ? all.map((p) => p.name) : argv.filter((a) => !a.startsWith('-'));
    if (argv.includes('--all') && names.length === 0) {
      console.log('no projections are registered: nothing to rebuild');
      return 0;
    }
    if (names.length === 0) {
      console.error(`${USAGE}\nprojections: ${all.map((p) => p.name).join(', ') || '(none)'}`);
      return 1;
    }
    const unknown = names.filter((n) => !all.some((p) => p.name === n));
    if (unknown.length) {
      console.error(`unknown projection(s): ${unknown.join(', ')}; known: ${all.map((p) => p.name).join(', ') || '(none)'}`);
      return 1;
    }
    const store = app.get<EventStore>(EVENT_STORE);
    const deps = { pool: app.get<Pool>(PG_POOL), store, checkpoints: app.get(CheckpointStore), databaseUrl: app.get<AppConfig>(APP_CONFIG).databaseUrl };
    const reports: RebuildReport[] = [];
    for (const name of names) reports.push(await rebuildWithProgress(deps, registry, name, await store.headPosition(), config.projectionBatchSize));
    for (const r of reports) {
      const verdict = r.equal ? 'equal to the live read model' : `DIFFERED from the live read model (${JSON.stringify(r.differences)}); the rebuilt one is live now`;
      console.log(`${r.projection}: ${r.events} events in ${r.seconds.toFixed(2)} s (${Math.round(r.events / Math.max(r.seconds, 0.001))} events/s), ${verdict}`);
    }
    return reports.every((r) => r.equal) ? 0 : 2;
  } finally {
    await app.close();
  }
}

async function rebuildWithProgress(deps: Parameters<typeof rebuildProjection>[0], registry: ConsumerRegistry, name: string, head: bigint, batchSize: number) {
  const bar = new SingleBar({ format: `${name} |{bar}| {percentage}% | {events} events`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
  bar.start(1000, 0, { events: 0 });
  const projection = registry.projections().find((p) => p.name === name)!;
  try {
    return await rebuildProjection(deps, projection, {
      batchSize,
      // Positions are sparse but grow steadily, so their share of the head is a fair progress measure.
      onProgress: (events, position) => bar.update(head > 0n ? Number((position * 1000n) / head) : 1000, { events }),
    });
  } finally {
    bar.update(1000);
    bar.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
