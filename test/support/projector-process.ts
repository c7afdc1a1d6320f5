import 'reflect-metadata';
import { loadConfig } from '@streamplane/core';
import { createApp } from '../../apps/streamplane/src/start';
import { CountersModule } from '../fixtures/counters/counters.module';

// A projector process with the counters fixture, for tests that kill and restart it.
async function main() {
  const app = await createApp(loadConfig({ ...process.env, ROLES: 'projector' }), [CountersModule]);
  await app.init();
  process.send?.('ready');
}

void main();
