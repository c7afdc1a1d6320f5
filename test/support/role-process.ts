import 'reflect-metadata';
import { loadConfig } from '@streamplane/core';
import { createApp } from '../../apps/streamplane/src/start';
import { CountersModule } from '../fixtures/counters/counters.module';

// One role (ROLES, default projector) of the product with the counters fixture, as its own
// process, for tests that kill and restart it.
async function main() {
  const app = await createApp(loadConfig({ ...process.env, ROLES: process.env.ROLES || 'projector' }), [CountersModule]);
  await app.init();
  process.send?.('ready');
}

void main();
