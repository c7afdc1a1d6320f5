// One config for every kind of test; the suffix says what a test needs:
// *.unit.spec.ts (pure), *.int.spec.ts (real PostgreSQL/Redis), *.e2e.spec.ts (HTTP against the app).
// The EventStoreDB contract suite needs a live server, so it only joins when one is configured.
const esdb = process.env.EVENTSTORE_CONNECTION_STRING ? [] : ['\\.esdb\\.spec\\.ts$'];

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/projections', '<rootDir>/test'],
  testRegex: '\\.spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/', ...esdb],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    '^@streamplane/(core|eventstore|testing|identity|streams|fleet|metering|webhooks|audit)$': '<rootDir>/libs/$1/src',
    '^@streamplane/(core|eventstore|testing|identity|streams|fleet|metering|webhooks|audit)/(.*)$': '<rootDir>/libs/$1/src/$2',
    '^@streamplane/projections$': '<rootDir>/projections',
    '^@streamplane/projections/(.*)$': '<rootDir>/projections/$1',
  },
  // Generous: e2e suites start whole apps, and CI machines have two cores for two suites at once.
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
