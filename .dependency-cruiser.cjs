// Dependency rules of the monorepo (issue 11): `npm run boundaries` checks them over apps, libs
// and projections; test/architecture/boundaries.unit.spec.ts proves each one fails on a violation.
//
// Paths are as dependency-cruiser reports them: relative to the repository root, with
// `@streamplane/*` aliases resolved through tsconfig.json (`libs/<x>/src/...`) and npm packages
// as `node_modules/<package>/...`. Type-only imports count (tsPreCompilationDeps).
//
// A *context* is every lib except the platform libs (core, eventstore, testing): identity,
// streams, fleet today, and the next ones without editing this file.

const CONTEXT = '(?!(?:core|eventstore|testing)/)[^/]+';
const NOT_SPEC = '\\.spec\\.ts$';

// Infrastructure a domain module must not reach: Nest, the PostgreSQL driver, BullMQ, Redis,
// the EventStoreDB client (also when a type-only import resolves to their @types package).
const INFRASTRUCTURE_PACKAGES = '^(?:node_modules/)?(?:@types/)?(?:@nestjs/[^/]+|pg|pg-[^/]+|bullmq|ioredis|@eventstore/db-client)(?:/|$)';
// (dependency-cruiser refuses regular expressions with nested quantifiers, hence the pairs.)
const HTTP_FOLDER = ['^(?:apps|libs|projections)/http/', '^(?:apps|libs|projections)/.+/http/'];
const DOMAIN_FOLDER = ['^libs/[^/]+/src/domain/', '^libs/[^/]+/src/.+/domain/'];
const COMMANDS_FOLDER = ['^libs/[^/]+/src/commands/', '^libs/[^/]+/src/.+/commands/'];
// The barrels re-export Nest modules, pg and BullMQ code; domain code imports the pure entries
// (`@streamplane/core/domain`, `@streamplane/eventstore/event-store`) instead.
const CORE_BARREL = '^libs/core/src/index\\.ts$';
const EVENTSTORE_BARREL = '^libs/eventstore/src/index\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'A domain module (deciders, *.events.ts, core/domain) must not reach - directly or through any chain of ' +
        'imports - Nest, pg, BullMQ, ioredis, the EventStoreDB client, an http/ folder, or the @streamplane/core ' +
        'or @streamplane/eventstore barrels. Import @streamplane/core/domain and ' +
        '@streamplane/eventstore/event-store (pure) instead.',
      from: { path: DOMAIN_FOLDER, pathNot: NOT_SPEC },
      to: {
        reachable: true,
        path: [INFRASTRUCTURE_PACKAGES, ...HTTP_FOLDER, CORE_BARREL, EVENTSTORE_BARREL],
      },
    },
    {
      name: 'commands-not-to-http',
      severity: 'error',
      comment:
        'Commands own their data types; controllers map HTTP DTOs to command data. A commands/ module must not ' +
        'import anything from an http/ folder.',
      from: { path: COMMANDS_FOLDER, pathNot: NOT_SPEC },
      to: { path: HTTP_FOLDER },
    },
    {
      name: 'context-through-public-entry',
      severity: 'error',
      comment:
        'A context imports another context only through its public entry: libs/<other>/src/index.ts ' +
        '(@streamplane/<other>) or its event catalogue libs/<other>/src/events.ts (@streamplane/<other>/events).',
      from: { path: `^libs/(${CONTEXT})/src/`, pathNot: NOT_SPEC },
      to: {
        path: `^libs/${CONTEXT}/src/`,
        pathNot: ['^libs/$1/src/', `^libs/${CONTEXT}/src/(?:index|events)\\.ts$`],
      },
    },
    {
      name: 'projections-through-event-catalogue',
      severity: 'error',
      comment:
        'A projection reads a context only through its public event catalogue libs/<ctx>/src/events.ts ' +
        '(@streamplane/<ctx>/events); @streamplane/core, @streamplane/eventstore, pg and Nest are fine.',
      from: { path: '^projections/', pathNot: NOT_SPEC },
      to: { path: `^libs/${CONTEXT}/src/`, pathNot: `^libs/${CONTEXT}/src/events\\.ts$` },
    },
    {
      name: 'eventstore-not-to-core',
      severity: 'error',
      comment: 'libs/eventstore is below libs/core: it must not import anything from libs/core.',
      from: { path: '^libs/eventstore/', pathNot: NOT_SPEC },
      to: { path: '^libs/core/' },
    },
    {
      name: 'core-not-to-contexts',
      severity: 'error',
      comment: 'libs/core is below the contexts: it must not import a context (libs/<ctx>) or projections/.',
      from: { path: '^libs/core/', pathNot: NOT_SPEC },
      to: { path: [`^libs/${CONTEXT}/`, '^projections/'] },
    },
    {
      name: 'no-circular-between-contexts',
      severity: 'error',
      comment: 'No import cycle may run through two contexts: one of them must depend on the other, not both.',
      from: { path: `^libs/(${CONTEXT})/src/`, pathNot: NOT_SPEC },
      to: {
        circular: true,
        via: { path: `^libs/${CONTEXT}/src/`, pathNot: '^libs/$1/src/' },
      },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment:
        'Every import must resolve (a broken @streamplane/* alias would otherwise slip past the rules above ' +
        'unseen).',
      from: { pathNot: NOT_SPEC },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // node_modules stays in the graph (not followed), so that rules can name npm packages.
    exclude: { path: '^(?:dist|coverage)/' },
    // Resolve as tsconfig.json's `moduleResolution: node` does: package.json `main`/`types`, no
    // `exports` map (openapi.ts imports a deep @nestjs/swagger path that its `exports` would hide).
    enhancedResolveOptions: {
      exportsFields: [],
      mainFields: ['main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
