import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Proves that every rule of .dependency-cruiser.cjs (the one `npm run boundaries` runs) fails on a
// violation and lets the allowed imports through. The fixture is a small tree laid out like the
// repository, in a temporary directory, with the real tsconfig.json `paths` (so @streamplane/*
// aliases resolve as they do in the repository) and stub npm packages (so they resolve to
// node_modules/<package>/... as the real ones do).
//
// dependency-cruiser is ES modules only and Jest runs CommonJS here, so its API runs in a child
// process (see CRUISE below).

const repo = join(__dirname, '..', '..');
const config = join(repo, '.dependency-cruiser.cjs');

const RULES = [
  'domain-is-pure',
  'commands-not-to-http',
  'context-through-public-entry',
  'projections-through-event-catalogue',
  'eventstore-not-to-core',
  'core-not-to-contexts',
  'no-circular-between-contexts',
  'no-unresolvable',
] as const;
type RuleName = (typeof RULES)[number];

const fixture: Record<string, string> = {
  // Stub npm packages.
  ...Object.fromEntries(
    ['@nestjs/common', 'pg', 'bullmq', 'ioredis', '@eventstore/db-client'].flatMap((name) => [
      [`node_modules/${name}/package.json`, JSON.stringify({ name, main: 'index.js' })],
      [`node_modules/${name}/index.js`, 'module.exports = {};\n'],
    ]),
  ),

  // Platform libs: barrels that reach infrastructure, pure entries that do not.
  'libs/core/src/index.ts': "export * from './domain';\nexport * from './http/problem.filter';\nexport * from './jobs/queues';\n",
  'libs/core/src/http/problem.filter.ts': "import { Catch } from '@nestjs/common';\nexport const filter = Catch;\n",
  'libs/core/src/jobs/queues.ts': "import { Queue } from 'bullmq';\nexport const queue = Queue;\n",
  'libs/core/src/domain/index.ts': "export * from './decider';\n",
  'libs/core/src/domain/decider.ts':
    "import type { JsonObject } from '@streamplane/eventstore/event-store';\nexport type Decider = { initial: JsonObject };\n",
  'libs/core/src/jobs/reaches-context.ts': "import '@streamplane/fleet';\n",
  'libs/core/src/jobs/reaches-projection.ts': "import '@streamplane/projections/streams/streams/streams.projection';\n",
  'libs/core/src/jobs/reaches-in.unit.spec.ts': "import '@streamplane/streams/queue/internal';\n",
  'libs/eventstore/src/index.ts':
    "export * from './event-store';\nexport * from './postgres/store';\nexport * from './eventstoredb/store';\n",
  'libs/eventstore/src/eventstoredb/store.ts': "import { EventStoreDBClient } from '@eventstore/db-client';\nexport const client = EventStoreDBClient;\n",
  'libs/eventstore/src/event-store.ts': 'export type JsonObject = { [key: string]: unknown };\n',
  'libs/eventstore/src/postgres/store.ts': "import { Pool } from 'pg';\nexport const pool = Pool;\n",
  'libs/eventstore/src/postgres/uses-core.ts': "import { filter } from '@streamplane/core';\nexport const f = filter;\n",
  'libs/eventstore/src/postgres/uses-core.int.spec.ts': "import '@streamplane/core/domain';\n",

  // streams: domain modules breaking the purity rule in every way, and one that keeps it.
  'libs/streams/src/index.ts': "export * from './events';\nexport * from './commands/decide';\n",
  'libs/streams/src/events.ts': "export * from './domain/stream.events';\n",
  'libs/streams/src/domain/stream.events.ts': "export const streamEvents = { StreamStarted: {} };\n",
  'libs/streams/src/domain/pure.decider.ts':
    "import type { Decider } from '@streamplane/core/domain';\nimport type { JsonObject } from '@streamplane/eventstore/event-store';\n" +
    "import { streamEvents } from './stream.events';\nexport const d: Partial<Decider> & { e?: JsonObject } = {};\nexport const events = streamEvents;\n",
  'libs/streams/src/domain/pure.decider.unit.spec.ts': "import '@nestjs/common';\nimport '@streamplane/core';\n",
  'libs/streams/src/domain/nest.decider.ts': "import { Injectable } from '@nestjs/common';\nexport const i = Injectable;\n",
  'libs/streams/src/domain/core-barrel.decider.ts': "import type { Decider } from '@streamplane/core';\nexport type D = Decider;\n",
  'libs/streams/src/domain/eventstore-barrel.decider.ts': "import { pool } from '@streamplane/eventstore';\nexport const p = pool;\n",
  'libs/streams/src/domain/http.decider.ts': "import type { StartStreamDto } from '../http/stream.dto';\nexport type S = StartStreamDto;\n",
  'libs/streams/src/domain/transitive.decider.ts': "import { redis } from '../queue/redis';\nexport const r = redis;\n",
  'libs/streams/src/queue/redis.ts': "import Redis from 'ioredis';\nexport const redis = Redis;\n",
  'libs/streams/src/queue/internal.ts': "import './internal-cycle';\nexport const internal = 1;\n",
  'libs/streams/src/queue/internal-cycle.ts': "import './internal';\n",
  'libs/streams/src/queue/broken.ts': "import './missing';\n",
  'libs/streams/src/http/stream.dto.ts': 'export class StartStreamDto { name!: string }\n',
  'libs/streams/src/commands/start.ts':
    "import type { StartStreamDto } from '../http/stream.dto';\nexport type Start = StartStreamDto;\n",
  'libs/streams/src/commands/decide.ts': "import { d } from '../domain/pure.decider';\nimport '@streamplane/core';\nexport const x = d;\n",
  'libs/streams/src/commands/start.unit.spec.ts': "import '../http/stream.dto';\n",

  // fleet reaches into streams (forbidden) and through its public entries (allowed).
  'libs/fleet/src/index.ts': "export * from './deploys/port';\n",
  'libs/fleet/src/deploys/port.ts': "import '@streamplane/identity';\nexport const port = 1;\n",
  'libs/fleet/src/deploys/alias-internal.ts': "import { internal } from '@streamplane/streams/queue/internal';\nexport const i = internal;\n",
  'libs/fleet/src/deploys/relative-internal.ts': "import '../../../streams/src/commands/start';\n",
  'libs/fleet/src/deploys/public.ts': "import '@streamplane/streams';\nimport '@streamplane/streams/events';\nimport '../../../streams/src/events';\n",
  'libs/fleet/src/deploys/public.unit.spec.ts': "import '@streamplane/streams/queue/internal';\n",

  // identity and fleet depend on each other through their public entries: a cycle across contexts.
  'libs/identity/src/index.ts': "export * from './workspaces/active-instances';\n",
  'libs/identity/src/workspaces/active-instances.ts': "import { port } from '@streamplane/fleet';\nexport const active = port;\n",

  // projections read contexts only through their event catalogue.
  'projections/streams/streams/streams.projection.ts':
    "import { streamEvents } from '@streamplane/streams/events';\nimport '@streamplane/core';\nimport '@streamplane/eventstore';\nimport 'pg';\n" +
    'export const handled = streamEvents;\n',
  'projections/streams/streams/internals.projection.ts': "import { d } from '@streamplane/streams/domain/pure.decider';\nexport const x = d;\n",
  'projections/streams/streams/barrel.projection.ts': "import '@streamplane/streams';\n",
  'projections/streams/streams/relative.projection.ts': "import '../../../libs/streams/src/queue/internal';\n",
  'projections/streams/streams/streams.projection.unit.spec.ts': "import '@streamplane/streams/queue/internal';\n",
};

interface Violation {
  type: string;
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: Array<{ name: string }>;
}
interface Summary {
  error: number;
  violations: Violation[];
  ruleSetUsed: { forbidden: Array<{ name: string; severity: string }> };
}
interface Run {
  /** The exit code `depcruise` (its default `err` output, as `npm run boundaries` runs it) would return. */
  exitCode: number;
  summary: Summary;
}

// Runs in a child Node process (ES modules), once for all cruises: dependency-cruiser's start-up is
// most of the cost. Each cruise is the CLI's (the real config and its tsconfig): once with the `err`
// reporter for its exit code, once for the violations as data.
const CRUISE = `
const { cruise } = await import('dependency-cruiser');
const { default: extractDepcruiseOptions } = await import('dependency-cruiser/config-utl/extract-depcruise-options');
const { default: extractTSConfig } = await import('dependency-cruiser/config-utl/extract-ts-config');
const [config, root, runs] = process.argv.slice(1);
const options = await extractDepcruiseOptions(config);
process.chdir(root);
const tsConfig = extractTSConfig(options.tsConfig.fileName);
const results = [];
for (const paths of JSON.parse(runs)) {
  const { exitCode } = await cruise(paths, { ...options, outputType: 'err' }, {}, { tsConfig });
  const { output } = await cruise(paths, options, {}, { tsConfig });
  results.push({ exitCode, summary: output.summary });
}
process.stdout.write(JSON.stringify(results));
`;

function cruise(root: string, runs: string[][]): Run[] {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', CRUISE, config, root, JSON.stringify(runs)], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`dependency-cruiser failed (exit ${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as Run[];
}

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  let root: string;
  let full: Run;
  let clean: Run;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'boundaries-'));
    const paths = (JSON.parse(readFileSync(join(repo, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: object } })
      .compilerOptions.paths;
    const files = { ...fixture, 'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: './', paths } }) };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    [full, clean] = cruise(root, [
      ['libs', 'projections'],
      ['libs/streams/src/domain/pure.decider.ts', 'libs/streams/src/commands/decide.ts', 'libs/fleet/src/deploys/public.ts'],
    ]);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const violations = (rule: RuleName) => full.summary.violations.filter((v) => v.rule.name === rule);
  const pairs = (rule: RuleName) => violations(rule).map((v) => `${v.from} -> ${v.to}`);
  const fromFiles = (rule: RuleName) => [...new Set(violations(rule).map((v) => v.from))].sort();

  it('uses exactly the rules tested here, all errors, and exits non-zero on a violation', () => {
    expect(full.summary.ruleSetUsed.forbidden.map((r) => r.name).sort()).toEqual([...RULES].sort());
    expect(full.summary.ruleSetUsed.forbidden.every((r) => r.severity === 'error')).toBe(true);
    expect(full.summary.error).toBe(full.summary.violations.length);
    expect(full.exitCode).toBe(full.summary.error);
    expect(full.exitCode).toBeGreaterThan(0);
  });

  it('domain-is-pure: a domain module reaches no Nest, pg, BullMQ, ioredis, EventStoreDB client, http/ or barrel', () => {
    expect(fromFiles('domain-is-pure')).toEqual([
      'libs/streams/src/domain/core-barrel.decider.ts',
      'libs/streams/src/domain/eventstore-barrel.decider.ts',
      'libs/streams/src/domain/http.decider.ts',
      'libs/streams/src/domain/nest.decider.ts',
      'libs/streams/src/domain/transitive.decider.ts',
    ]);
    expect(pairs('domain-is-pure')).toEqual(
      expect.arrayContaining([
        // direct
        'libs/streams/src/domain/nest.decider.ts -> node_modules/@nestjs/common/index.js',
        'libs/streams/src/domain/core-barrel.decider.ts -> libs/core/src/index.ts',
        'libs/streams/src/domain/eventstore-barrel.decider.ts -> libs/eventstore/src/index.ts',
        'libs/streams/src/domain/http.decider.ts -> libs/streams/src/http/stream.dto.ts',
        // transitive: through a barrel, and through a module of the context outside domain/
        'libs/streams/src/domain/core-barrel.decider.ts -> libs/core/src/http/problem.filter.ts',
        'libs/streams/src/domain/core-barrel.decider.ts -> node_modules/@nestjs/common/index.js',
        'libs/streams/src/domain/core-barrel.decider.ts -> node_modules/bullmq/index.js',
        'libs/streams/src/domain/eventstore-barrel.decider.ts -> node_modules/pg/index.js',
        'libs/streams/src/domain/eventstore-barrel.decider.ts -> node_modules/@eventstore/db-client/index.js',
        'libs/streams/src/domain/transitive.decider.ts -> node_modules/ioredis/index.js',
      ]),
    );
    // core/domain is itself under the rule, and a type-only import of the pure event-store.ts is fine.
    expect(violations('domain-is-pure').some((v) => v.from.startsWith('libs/core/'))).toBe(false);
  });

  it('commands-not-to-http: a command does not import an http/ module', () => {
    expect(pairs('commands-not-to-http')).toEqual(['libs/streams/src/commands/start.ts -> libs/streams/src/http/stream.dto.ts']);
  });

  it('context-through-public-entry: a context reaches another only through its index.ts or events.ts', () => {
    expect(pairs('context-through-public-entry').sort()).toEqual([
      'libs/fleet/src/deploys/alias-internal.ts -> libs/streams/src/queue/internal.ts',
      'libs/fleet/src/deploys/relative-internal.ts -> libs/streams/src/commands/start.ts',
    ]);
  });

  it('projections-through-event-catalogue: a projection reads a context only through its events.ts', () => {
    expect(pairs('projections-through-event-catalogue').sort()).toEqual([
      'projections/streams/streams/barrel.projection.ts -> libs/streams/src/index.ts',
      'projections/streams/streams/internals.projection.ts -> libs/streams/src/domain/pure.decider.ts',
      'projections/streams/streams/relative.projection.ts -> libs/streams/src/queue/internal.ts',
    ]);
  });

  it('eventstore-not-to-core: libs/eventstore imports nothing from libs/core', () => {
    expect(pairs('eventstore-not-to-core')).toEqual(['libs/eventstore/src/postgres/uses-core.ts -> libs/core/src/index.ts']);
  });

  it('core-not-to-contexts: libs/core imports no context and no projection', () => {
    expect(pairs('core-not-to-contexts').sort()).toEqual([
      'libs/core/src/jobs/reaches-context.ts -> libs/fleet/src/index.ts',
      'libs/core/src/jobs/reaches-projection.ts -> projections/streams/streams/streams.projection.ts',
    ]);
  });

  it('no-circular-between-contexts: a cycle through two contexts fails (once), one inside a context does not', () => {
    // identity/index -> active-instances -> fleet/index -> deploys/port -> identity/index; the cycle
    // streams/queue/internal <-> internal-cycle stays inside streams.
    const cycles = violations('no-circular-between-contexts');
    expect(cycles).toHaveLength(1);
    expect([cycles[0].from, ...(cycles[0].cycle ?? []).map((m) => m.name)].sort()).toEqual([
      'libs/fleet/src/deploys/port.ts',
      'libs/fleet/src/deploys/port.ts',
      'libs/fleet/src/index.ts',
      'libs/identity/src/index.ts',
      'libs/identity/src/workspaces/active-instances.ts',
    ]);
  });

  it('no-unresolvable: an import that does not resolve fails (a broken alias cannot hide a violation)', () => {
    expect(pairs('no-unresolvable')).toEqual(['libs/streams/src/queue/broken.ts -> ./missing']);
  });

  it('passes the allowed imports, and exits 0 when there is no violation', () => {
    const from = new Set(full.summary.violations.map((v) => v.from));
    for (const allowed of [
      'libs/streams/src/domain/pure.decider.ts',
      'libs/streams/src/domain/stream.events.ts',
      'libs/core/src/domain/decider.ts',
      'libs/streams/src/commands/decide.ts',
      'libs/fleet/src/deploys/public.ts',
      'projections/streams/streams/streams.projection.ts',
    ]) {
      expect(from).not.toContain(allowed);
    }
    // Test files may reach in.
    expect([...from].filter((file) => file.endsWith('.spec.ts'))).toEqual([]);

    expect(clean.summary.violations).toEqual([]);
    expect(clean.exitCode).toBe(0);
  });
});
